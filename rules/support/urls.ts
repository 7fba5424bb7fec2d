/** An etcd URL (`scheme://host:port`), parsed without resolving `$(VAR)` references. */
export interface EtcdUrl {
  raw: string;
  /** Lower-cased scheme: `http`, `https`, `unix`, `unixs`. */
  scheme: string;
  host: string;
  /** The port as written, or undefined when the URL names none. */
  port: string | undefined;
}

/** Splits a comma-separated URL list (etcd's `--*-urls` flags); blank entries are dropped. */
export function splitUrlList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses `scheme://host[:port][/path]`. The host may be an IPv6 literal in brackets or hold a
 * `$(VAR)` reference (kept as written). Returns undefined when the text is not such a URL.
 */
export function parseEtcdUrl(raw: string): EtcdUrl | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|(?:\$\([^)]*\)|[^:/?#$])*)(?::([^/?#]*))?(?:[/?#].*)?$/.exec(
    raw.trim(),
  );
  if (!m) return undefined;
  return { raw, scheme: m[1]!.toLowerCase(), host: m[2]!, port: m[3] === '' ? undefined : m[3] };
}

/** The URL's port as a number, or undefined when it is absent or not a plain decimal number. */
export function urlPort(url: EtcdUrl): number | undefined {
  if (url.port === undefined || !/^\d{1,5}$/.test(url.port)) return undefined;
  return Number(url.port);
}
