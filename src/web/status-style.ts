/** The status page's stylesheet: inline (no external assets), light and dark. */
export const STATUS_STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --text: #1c2330; --muted: #667085; --line: #e3e6eb;
  --green: #157a3c; --green-bg: #dcf5e4; --amber: #8a5a00; --amber-bg: #fdf0cf; --grey: #4b5563; --grey-bg: #e7e9ee;
  --red: #a61b1b; --red-bg: #fbe0e0; --accent: #2958c9; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #12151b; --panel: #1b2029; --text: #e6e8ec; --muted: #98a1b0; --line: #2c3340;
    --green: #7fe0a2; --green-bg: #173a26; --amber: #f5cd6b; --amber-bg: #3d3214; --grey: #c3c8d1; --grey-bg: #2f3542;
    --red: #ff9c9c; --red-bg: #4a1f22; --accent: #8fb0ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: 12px; justify-content: space-between; align-items: flex-end;
  padding: 18px 24px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { margin: 0; font-size: 20px; }
h2 { margin: 0 0 8px; font-size: 15px; }
main { padding: 16px 24px 32px; display: grid; gap: 16px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.muted { color: var(--muted); font-weight: normal; }
#source { margin: 4px 0 0; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.live { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--green); margin-right: 6px; }
.live.stale { background: var(--red); }
select, input, button { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
button { cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); color: var(--accent); }
button:disabled { opacity: 0.45; cursor: default; }
.message { margin: 0; padding: 8px 12px; border-radius: 6px; background: var(--amber-bg); color: var(--amber); }
.message.ok { background: var(--green-bg); color: var(--green); }
.message.bad { background: var(--red-bg); color: var(--red); }
.warnings { margin: 0; padding-left: 20px; color: var(--amber); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; }
td.allowance { font-size: 12px; white-space: nowrap; }
td.allowance .spent { color: var(--red); font-weight: 600; }
td.allowance .checked { color: var(--muted); }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.active .value { color: var(--green); }
.card.cooling .value { color: var(--amber); }
.card.retired .value { color: var(--red); }
.card.disabled .value { color: var(--grey); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
.admin-row { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; white-space: nowrap; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left; }
th { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
td.reason { white-space: normal; min-width: 160px; max-width: 320px; color: var(--muted); }
tbody tr:hover { background: var(--bg); }
tr.empty td { text-align: center; color: var(--muted); padding: 20px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge-active { background: var(--green-bg); color: var(--green); }
.badge-cooling { background: var(--amber-bg); color: var(--amber); }
.badge-disabled { background: var(--grey-bg); color: var(--grey); }
.badge-retired { background: var(--red-bg); color: var(--red); }
.actions { display: flex; gap: 6px; }
`;
