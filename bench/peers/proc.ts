/** What /proc says of a live process (Linux only): its CPU time and its peak RSS. */
import fs from 'node:fs';

/** User + system CPU time of a live process in seconds (/proc/<pid>/stat), or undefined once it is gone. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15 (clock ticks, 100/s).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** VmHWM of a live process in MiB, or undefined once it is gone (or off Linux). */
export function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
