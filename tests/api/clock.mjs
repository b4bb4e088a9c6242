// The calendar as the server sees it. "Today" is the day in the plans' time zone
// (light_policy: UTC+8, China Standard Time), never the machine's zone or the UTC day, so a
// test means the same at 00:30, 16:30 and 23:30 UTC and on the last day of a year. Every test
// takes its dates from here; startServer checks that the server's /healthz says the same day.
import assert from 'node:assert/strict';

export const DAY = 86400000;
export const ZONE_MS = 8 * 3600000; // the server's default utc_offset_minutes, 480

// The day (YYYY-MM-DD) of the instant ms, in the plans' zone.
export const localDay = (ms) => new Date(ms + ZONE_MS).toISOString().slice(0, 10);
// Today + plus days, in the plans' zone.
export const today = (plus = 0) => localDay(Date.now() + plus * DAY);
// This year, in the plans' zone.
export const thisYear = () => Number(today().slice(0, 4));
// 2026-12-07 → 2026年12月7日, as the Chinese pages write a date.
export const zhDate = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${y}年${m}月${d}日`; };

// The server's today must be ours (allowing for a midnight passing during the call).
export async function checkServerToday(base) {
  const before = today();
  const r = await fetch(`${base}/healthz`);
  const h = await r.json();
  const after = today();
  assert.ok(h.today === before || h.today === after,
    `the server's today ${h.today} is not the tests' ${before} (time zone ${h.utc_offset_minutes} min)`);
}
