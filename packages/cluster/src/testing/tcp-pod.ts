// A container for the simulator's pods in port-forward tests (mapped from image ffk/tcp-pod).
// It listens on all addresses, which the simulator's pod network turns into the pod's own IP.
//   7001 echo: answers each chunk with `<POD_NAME>:<chunk>`
//   7002 flood: sends FLOOD_BYTES (default 8 MiB) on connect, then closes
//   7003 slow reader: reads nothing for SLOW_MS (default 1000), then counts bytes and reports
//        the running total as a line whenever another MiB has arrived
// With CRASH set it logs that text and exits 1 instead (a CrashLoopBackOff).
import { createServer } from 'node:net';

const name = process.env.POD_NAME ?? 'pod';
if (process.env.CRASH) {
  console.error('starting');
  console.error(process.env.CRASH);
  process.exit(1);
}
const MiB = 1024 * 1024;

createServer((socket) => socket.on('data', (chunk) => socket.write(`${name}:${chunk.toString()}`))).listen(7001);
createServer((socket) => socket.end(Buffer.alloc(Number(process.env.FLOOD_BYTES ?? 8 * MiB), 7))).listen(7002);
createServer((socket) => {
  let total = 0;
  socket.pause();
  setTimeout(() => socket.resume(), Number(process.env.SLOW_MS ?? 1000));
  socket.on('data', (chunk) => {
    const before = Math.floor(total / MiB);
    total += chunk.length;
    if (Math.floor(total / MiB) > before) socket.write(`${total}\n`);
  });
}).listen(7003);
process.on('SIGTERM', () => process.exit(0));
