/**
 * Returns whether `name` is a time zone of the IANA database, as Go's `time.LoadLocation` would
 * find it (OpenKruise validates `timeZone` and a `TZ=` prefix with it): canonical names and their
 * aliases (`US/Eastern`), case-sensitive. Reads the zone data built into the runtime (`Intl`), no
 * clock and no files. `UTC` is a zone; `Local` is not (it is the process's zone, not a name).
 *
 * @example isTimeZone('America/New_York') === true; isTimeZone('america/new_york') === false; isTimeZone('Mars/Olympus') === false
 */
export function isTimeZone(name: string): boolean {
  if (name === '' || name === 'Local') return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // Intl matches case-insensitively; the zone files Go reads do not.
  return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
}
