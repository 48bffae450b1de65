// Viewer load for the stream benchmarks, run as its own process so its CPU is not the server's:
//   node dist/bench/lib/viewers.js <url> <viewers> <seconds> [<measureFromS>]
// Opens <viewers> concurrent HTTP GETs of the MPEG-TS URL, reads everything for <seconds>, then
// prints one JSON line: connections, bytes per viewer over the measured part, errors, own CPU.
import { request } from 'node:http';

const [url, nArg, secondsArg, fromArg] = process.argv.slice(2);
const n = Number(nArg), seconds = Number(secondsArg), fromS = Number(fromArg ?? 0);
if (!url || !(n > 0) || !(seconds > 0)) {
  console.error('usage: viewers.js <url> <viewers> <seconds> [<measureFromS>]');
  process.exit(2);
}

const total = new Array<number>(n).fill(0);
const atMark = new Array<number>(n).fill(0);
let connected = 0, ended = 0;
const errors: string[] = [];
const reqs: ReturnType<typeof request>[] = [];
for (let i = 0; i < n; i++) {
  const req = request(url, { agent: false });
  req.on('response', (res) => {
    if (res.statusCode === 200) connected++;
    else errors.push(`HTTP ${res.statusCode}`);
    res.on('data', (c: Buffer) => { total[i] = total[i]! + c.length; });
    res.on('end', () => { ended++; });
    res.on('error', () => {});
  });
  req.on('error', (e) => errors.push(e.message));
  req.end();
  reqs.push(req);
}
const cpu0 = process.cpuUsage();
setTimeout(() => { for (let i = 0; i < n; i++) atMark[i] = total[i]!; }, fromS * 1000);
setTimeout(() => {
  const window = seconds - fromS;
  const mbps = total.map((b, i) => ((b - atMark[i]!) * 8) / window / 1e6).sort((a, b) => a - b);
  const cpu = process.cpuUsage(cpu0);
  for (const r of reqs) r.destroy();
  console.log(JSON.stringify({
    viewers: n, connected, endedEarly: ended, errors: errors.slice(0, 5), errorCount: errors.length,
    mbpsMin: Number(mbps[0]!.toFixed(3)), mbpsMedian: Number(mbps[Math.floor(n / 2)]!.toFixed(3)), mbpsMax: Number(mbps.at(-1)!.toFixed(3)),
    cpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 1000) / 10,
  }));
  process.exit(0);
}, seconds * 1000);
