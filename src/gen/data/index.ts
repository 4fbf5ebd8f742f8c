/** The generator's embedded lists (names, places, providers...): no real person anywhere. */
export * from './misc.js';
export * from './names.js';
export * from './places.js';
