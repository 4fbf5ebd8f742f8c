/**
 * A breach as HIBP's API v3 serialises it: its fields in HIBP's order, with Vigie's values where
 * it has them and HIBP's defaults where it does not (`Attribution`: null).
 */
import type { Breach } from '../../store/index.js';

interface HibpBreach extends Breach {
  Attribution: string | null;
}

export function toHibpBreach(b: Breach): HibpBreach {
  return {
    Name: b.Name,
    Title: b.Title,
    Domain: b.Domain,
    BreachDate: b.BreachDate,
    AddedDate: b.AddedDate,
    ModifiedDate: b.ModifiedDate,
    PwnCount: b.PwnCount,
    Description: b.Description,
    LogoPath: b.LogoPath,
    Attribution: null,
    DataClasses: b.DataClasses,
    IsVerified: b.IsVerified,
    IsFabricated: b.IsFabricated,
    IsSensitive: b.IsSensitive,
    IsRetired: b.IsRetired,
    IsSpamList: b.IsSpamList,
    IsMalware: b.IsMalware,
    IsSubscriptionFree: b.IsSubscriptionFree,
    IsStealerLog: b.IsStealerLog,
  };
}

/** HIBP's `domain` filter: the breach's domain, any case. */
export function matchesDomain(b: Breach, domain: string | undefined): boolean {
  return domain === undefined || domain === '' || b.Domain.toLowerCase() === domain.trim().toLowerCase();
}
