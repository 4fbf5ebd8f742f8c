import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../errors.js';
import { readMysqlDump } from './mysql.js';
import { chunked, collect, readAll } from './test-helpers/collect.js';

const CREATE =
  'CREATE TABLE `personnes` (\n  `id` int NOT NULL,\n  `nom` varchar(50),\n  `email` varchar(100),\n  PRIMARY KEY (`id`),\n  KEY `k` (`nom`)\n);\n';

/** Reads whole and in 1..3-character chunks, checks both agree, returns the whole reading. */
async function read(sql: string, opts = {}) {
  const whole = await readAll(readMysqlDump, sql, opts);
  const split = await collect(readMysqlDump, chunked(sql, 1, 3, 7), opts);
  expect(split.events).toEqual(whole.events);
  return whole;
}

describe('readMysqlDump: statements', () => {
  it('reads INSERT IGNORE, REPLACE INTO, INSERT without INTO, and a qualified name', async () => {
    const r = await read(
      CREATE +
        "INSERT IGNORE INTO `personnes` VALUES (1,'Dupont','a@example.com');\n" +
        "REPLACE INTO `personnes` VALUES (2,'Hébert','b@example.com');\n" +
        "INSERT LOW_PRIORITY `personnes` VALUES (3,'Roux',NULL);\n" +
        "INSERT INTO `vigie`.`personnes` VALUES (4,'Faure','d@example.com');\n",
    );
    expect(r.tables.map((t) => t.name)).toEqual(['dump.sql:personnes', 'dump.sql:vigie.personnes']);
    expect(r.tables[0]!.columns).toEqual(['id', 'nom', 'email']);
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'Dupont', 'a@example.com'],
      ['2', 'Hébert', 'b@example.com'],
      ['3', 'Roux', null],
    ]);
    // No CREATE TABLE for vigie.personnes: names are generated.
    expect(r.tables[1]!.columns).toEqual(['column_1', 'column_2', 'column_3']);
    expect(r.tables[1]!.meta['columnsFrom']).toBe('generated');
  });

  it('lets an explicit column list win over CREATE TABLE, and starts a new table event when it changes', async () => {
    const r = await read(
      CREATE +
        "INSERT INTO `personnes` (`email`, `id`) VALUES ('x@example.com', 7), ('y@example.com', 8);\n" +
        "INSERT INTO `personnes` (`email`, `id`) VALUES ('z@example.com', 9);\n" +
        "INSERT INTO `personnes` VALUES (10, 'Petit', 'p@example.com');\n",
    );
    expect(r.tables.map((t) => [t.columns, t.meta['columnsFrom'], t.rows.length])).toEqual([
      [['email', 'id'], 'INSERT', 3],
      [['id', 'nom', 'email'], 'CREATE TABLE', 1],
    ]);
  });

  it('starts a new table event each time interleaved INSERTs change table', async () => {
    const r = await read(
      CREATE +
        'CREATE TABLE `villes` (`cp` char(5), `nom` varchar(50));\n' +
        "INSERT INTO `personnes` VALUES (1,'A','a@example.com');\n" +
        "INSERT INTO `villes` VALUES ('94240','L\\'Haÿ-les-Roses');\n" +
        "INSERT INTO `personnes` VALUES (2,'B','b@example.com'),(3,'C','c@example.com');\n",
      { batchSize: 1 },
    );
    expect(r.tables.map((t) => [t.name, t.rows.length])).toEqual([
      ['dump.sql:personnes', 1],
      ['dump.sql:villes', 1],
      ['dump.sql:personnes', 2],
    ]);
    expect(r.tables[1]!.rows[0]).toEqual(['94240', "L'Haÿ-les-Roses"]);
    // Record numbers restart with each table event.
    expect(r.events.filter((e) => e.kind === 'rows').map((e) => (e.kind === 'rows' ? e.firstRecord : 0))).toEqual([1, 1, 1, 2]);
  });

  it('emits nothing for a table that is only created', async () => {
    const r = await read(CREATE + 'LOCK TABLES `personnes` WRITE;\nUNLOCK TABLES;\n');
    expect(r.events).toEqual([]);
  });

  it('skips comments of every kind, conditional statements, SET, DROP, LOCK', async () => {
    const r = await read(
      '-- MariaDB dump\n# hash comment\n/*!40101 SET NAMES utf8mb4 */;\n/*M!999999\\- enable the sandbox mode */\n' +
        'DROP TABLE IF EXISTS `personnes`;\n' +
        CREATE +
        'LOCK TABLES `personnes` WRITE;\n/*!40000 ALTER TABLE `personnes` DISABLE KEYS */;\n' +
        "INSERT INTO `personnes` VALUES /* c1 */ (1,'A', -- c2\n'a@example.com'),\n# c3\n(2,'B','b@example.com');\n" +
        "SET @a = 'INSERT INTO `personnes` VALUES (9,9,9)';\nUNLOCK TABLES;\n",
    );
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'A', 'a@example.com'],
      ['2', 'B', 'b@example.com'],
    ]);
  });
});

describe('readMysqlDump: values', () => {
  const T = 'CREATE TABLE `v` (`a` text);\nINSERT INTO `v` VALUES ';

  it('decodes every MySQL string escape and doubled quotes', async () => {
    const r = await read(T + "('\\0|\\'|\\\"|\\b|\\n|\\r|\\t|\\Z|\\\\|\\%|\\_|\\q|''|O''Brien'),(\"dq \"\" \\\" 'x'\");\n");
    expect(r.tables[0]!.rows).toEqual([["\0|'|\"|\b|\n|\r|\t|\x1a|\\|\\%|\\_|q|'|O'Brien"], ['dq " " \'x\'']]);
  });

  it('keeps numbers as written, NULL as null, hex and binary as text', async () => {
    const sql =
      'CREATE TABLE `n` (`a` int, `b` int, `c` int, `d` int, `e` blob, `f` blob, `g` bit(4), `h` blob, `i` text, `j` text, `k` int);\n' +
      "INSERT INTO `n` VALUES (-12,3.50,1.5e-3,NULL,0x4A6F,X'4a6f',b'0101',_binary 'O\\'B',_utf8mb4'é' 't',N'nat',+7);\n";
    const r = await read(sql);
    expect(r.tables[0]!.rows).toEqual([['-12', '3.50', '1.5e-3', null, '0x4A6F', '0x4a6f', '0101', "O'B", 'ét', 'nat', '7']]);
  });

  it('keeps keywords and function calls as their text, DEFAULT as null', async () => {
    const r = await read(
      'CREATE TABLE `f` (`a` int, `b` datetime, `c` text, `d` text);\n' + "INSERT INTO `f` VALUES (DEFAULT, NOW(), CONCAT('a,b', 'c'), CURRENT_TIMESTAMP);\n",
    );
    expect(r.tables[0]!.rows).toEqual([[null, 'NOW()', "CONCAT('a,b', 'c')", 'CURRENT_TIMESTAMP']]);
  });

  it('skips the rest of an INSERT ... ON DUPLICATE KEY UPDATE clause', async () => {
    const r = await read(T + "('x') ON DUPLICATE KEY UPDATE `a` = VALUES(`a`);\nINSERT INTO `v` VALUES ('y');\n");
    expect(r.tables[0]!.rows).toEqual([['x'], ['y']]);
  });
});

describe('readMysqlDump: malformed rows', () => {
  it('skips a row with the wrong number of values, with its line and record, and keeps the others', async () => {
    const r = await read(CREATE + "INSERT INTO `personnes` VALUES\n(1,'A','a@example.com'),\n(2,'B'),\n(3,'C','c@example.com');\n");
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'A', 'a@example.com'],
      ['3', 'C', 'c@example.com'],
    ]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'field count', line: 10, record: 2 }]);
    const skip = r.events.find((e) => e.kind === 'skip');
    expect(skip).toMatchObject({ position: { file: 'dump.sql', table: 'personnes', line: 10, record: 2 } });
  });

  it('skips a syntax error inside a tuple and resumes at the next tuple', async () => {
    const r = await read(CREATE + "INSERT INTO `personnes` VALUES (1,'A' 'x' = 2,'a'),(2,,'b'),(3,'C','c');\n");
    expect(r.tables[0]!.rows).toEqual([['3', 'C', 'c']]);
    expect(r.tables[0]!.skips.map((s) => s.reason)).toEqual(['syntax', 'syntax']);
  });

  it('reports a statement cut by a semicolon inside a tuple, then reads the next statement', async () => {
    const r = await read(CREATE + "INSERT INTO `personnes` VALUES (1,'A';\nINSERT INTO `personnes` VALUES (2,'B','b');\n");
    expect(r.tables[0]!.rows).toEqual([['2', 'B', 'b']]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'syntax', line: 8, record: 1 }]);
  });

  it('skips a too long row and resynchronises on the next tuple of the same line', async () => {
    const long = 'é'.repeat(3000);
    const r = await read(CREATE + `INSERT INTO \`personnes\` VALUES (1,'A','a'),(2,'${long}','b'),(3,'C','c');\n`, { maxRecordChars: 1000 });
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'A', 'a'],
      ['3', 'C', 'c'],
    ]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'record too long', line: 8, record: 2 }]);
  });

  it('delivers the complete rows, then reports an unterminated string at end of input', async () => {
    const r = await read(CREATE + "INSERT INTO `personnes` VALUES (1,'A','a'),\n(2,'B','b@exam");
    expect(r.tables[0]!.rows).toEqual([['1', 'A', 'a']]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'unclosed quote', line: 9, record: 2 }]);
  });

  it('reports an INSERT cut between tuples as truncated', async () => {
    for (const tail of ["(2,'B','b'),", "(2,'B','b')", "(2,'B'"]) {
      const r = await read(CREATE + `INSERT INTO \`personnes\` VALUES (1,'A','a'),${tail}`);
      expect(r.tables[0]!.skips.map((s) => s.reason)).toEqual(['truncated']);
    }
  });

  it('throws VIGIE_BAD_FORMAT for text without any SQL statement, VIGIE_EMPTY_FILE for nothing', async () => {
    await expect(readAll(readMysqlDump, 'nom;prenom;email\nDupont;Jean;jean.dupont@example.com\n')).rejects.toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
    await expect(readAll(readMysqlDump, '-- only a comment\n')).rejects.toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
    await expect(readAll(readMysqlDump, '')).rejects.toMatchObject({ code: 'VIGIE_EMPTY_FILE' });
  });

  it('throws VIGIE_TRUNCATED, without the string, for an unterminated string before any data', async () => {
    const err = await readAll(readMysqlDump, "SET @x = 'secret.person@example.com").catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TRUNCATED');
    expect(String((err as Error).message)).not.toContain('example.com');
    expect((err as Error).message).toContain('dump.sql, line 1');
  });

  it('reports an unterminated string after the data as a skip without a table', async () => {
    const r = await read(CREATE + "INSERT INTO `personnes` VALUES (1,'A','a');\nSET @x = 'oops");
    expect(r.tables[0]!.rows).toHaveLength(1);
    expect(r.events[r.events.length - 1]).toEqual({ kind: 'skip', reason: 'unclosed quote', position: { file: 'dump.sql', line: 9 } });
  });
});
