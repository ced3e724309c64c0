// Polls a hub's /api/health every 50 ms from a process of its own, so what it measures is the hub's
// responsiveness and not the event loop of a benchmark busy driving a hundred clients. Prints one
// JSON line, {"times": [ms…], "failed": n}, when its stdin closes or it receives SIGTERM.
//   node bench/health-poller.mjs http://localhost:3377
const [url] = process.argv.slice(2);
if (!url) {
  console.error("usage: node bench/health-poller.mjs <hub base URL>");
  process.exit(2);
}
const times = [];
let failed = 0;
let polling = true;
const stop = () => {
  polling = false;
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();

while (polling) {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
    await response.text();
    if (response.ok) times.push(performance.now() - started);
    else failed++;
  } catch {
    failed++;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.stdout.write(`${JSON.stringify({ times, failed })}\n`);
