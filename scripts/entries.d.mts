/** The package's entries: output name → source (scripts/entries.mjs). */
export declare const entries: Record<string, string>;
