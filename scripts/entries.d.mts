/** The package's entries (scripts/entries.mjs). */
export declare const entries: { name: string; source: string; subpath: string; core?: false }[];
