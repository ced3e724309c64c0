// Loaded with --require into a gateway process by `BENCH_STAGES=1 npm run bench:gateway`: splits the
// wall time of each MCP POST that reached a stdio upstream into three stages, from the process's
// own view and without changing its code:
//   in        the request event -> the first write to a pipe (the upstream's stdin)
//   upstream  that write -> the first data read from a pipe (the upstream's answer)
//   out       that data -> the response's finish event (written to the socket)
// SIGUSR2 writes the medians of the calls since the last signal to $BENCH_STAGES_DIR/<pid>.json
// and starts over. One call at a time (the one-client rounds), so one "current call" suffices.
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");

const dir = process.env.BENCH_STAGES_DIR;
const now = () => performance.now() * 1000;
const isPipe = (socket) => socket._handle?.constructor?.name === "Pipe" && socket.fd !== 1 && socket.fd !== 2;
let current = null;
let samples = { in: [], upstream: [], out: [] };

function traced(emit) {
  return function (event, ...args) {
    const [request, response] = args;
    if (event === "request" && request.method === "POST") {
      const call = { start: now() };
      current = call;
      response.once("finish", () => {
        if (call.wrote === undefined || call.read === undefined) return;
        samples.in.push(call.wrote - call.start);
        samples.upstream.push(call.read - call.wrote);
        samples.out.push(now() - call.read);
      });
    }
    return emit.call(this, event, ...args);
  };
}
// The hub replaces Server.prototype.emit with its front door at start: wrap whatever is set.
let emit = traced(http.Server.prototype.emit);
Object.defineProperty(http.Server.prototype, "emit", {
  configurable: true,
  get: () => emit,
  set: (replacement) => {
    emit = traced(replacement);
  },
});
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (...args) {
  if (current && current.wrote === undefined && isPipe(this)) current.wrote = now();
  return write.apply(this, args);
};
const socketEmit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, ...args) {
  if (
    event === "data" &&
    current &&
    current.wrote !== undefined &&
    current.read === undefined &&
    isPipe(this)
  )
    current.read = now();
  return socketEmit.call(this, event, ...args);
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? null;
process.on("SIGUSR2", () => {
  const report = {
    calls: samples.in.length,
    in: median(samples.in),
    upstream: median(samples.upstream),
    out: median(samples.out),
  };
  samples = { in: [], upstream: [], out: [] };
  if (dir) fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(report));
});
