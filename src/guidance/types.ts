/**
 * Guidance per data class: what a class in criminal hands makes possible, and what to do.
 * One source of truth for the API, the web page and (later) the alert messages.
 */
import type { DataClassKey, DataClassName } from '../dataclasses.js';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

/** Where to report or get help: a named service and its official address. */
export interface Resource {
  name: string;
  /** An official https address, typed by the person (never a shortener). */
  url: string;
}

/** The guidance for one data class, in one language. */
export interface GuidanceItem {
  dataClass: DataClassName;
  /** The class in plain words, for a person ("votre adresse e-mail"). */
  label: string;
  /** What criminals can do with it, in one or two plain sentences. */
  risk: string;
  /** Concrete steps, most urgent first. */
  actions: string[];
  /** Where to report or get help, when relevant. */
  resources: Resource[];
}

/** The words of one data class in one language, as the content files write them. */
export interface ClassText {
  /** A short noun for lists, tables and charts ("Adresse e-mail"). */
  short: string;
  label: string;
  risk: string;
  actions: string[];
  resources: Resource[];
}

/** What anybody in a leak should do, whatever was exposed. */
export interface GeneralAdvice {
  title: string;
  points: string[];
  /** Where anybody may report a fraud or get help, whatever was exposed. */
  resources: Resource[];
}

/** One language's guidance: every class, by key (the compiler checks that none is missing). */
export interface GuidanceContent {
  classes: Record<DataClassKey, ClassText>;
  general: GeneralAdvice;
}
