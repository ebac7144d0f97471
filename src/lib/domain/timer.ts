// The countdown timer. All times are the server's clock in ms; pages show it with their offset
// from the server, so a slow phone does not drift.

export type TimerState =
  | { kind: 'idle'; durationMs: number }
  | { kind: 'running'; durationMs: number; endsAt: number }
  | { kind: 'paused'; durationMs: number; remainingMs: number };

export const DEFAULT_TIMER_MS = 5 * 60_000;
export const MAX_TIMER_MS = 4 * 60 * 60_000;

export function idleTimer(durationMs = DEFAULT_TIMER_MS): TimerState {
  return { kind: 'idle', durationMs };
}

export function remainingMs(timer: TimerState, now: number): number {
  switch (timer.kind) {
    case 'idle':
      return timer.durationMs;
    case 'running':
      return Math.max(0, timer.endsAt - now);
    case 'paused':
      return timer.remainingMs;
    default: {
      const never: never = timer;
      return never;
    }
  }
}

export function isTimeUp(timer: TimerState, now: number): boolean {
  return timer.kind === 'running' && now >= timer.endsAt;
}

export function startTimer(timer: TimerState, now: number, durationMs?: number): TimerState {
  if (durationMs !== undefined) return { kind: 'running', durationMs, endsAt: now + durationMs };
  if (timer.kind === 'paused') return { kind: 'running', durationMs: timer.durationMs, endsAt: now + timer.remainingMs };
  if (timer.kind === 'running') return timer;
  return { kind: 'running', durationMs: timer.durationMs, endsAt: now + timer.durationMs };
}

export function pauseTimer(timer: TimerState, now: number): TimerState {
  if (timer.kind !== 'running') return timer;
  return { kind: 'paused', durationMs: timer.durationMs, remainingMs: Math.max(0, timer.endsAt - now) };
}

export function addMinute(timer: TimerState, now: number): TimerState {
  const add = 60_000;
  switch (timer.kind) {
    case 'idle':
      return { kind: 'idle', durationMs: Math.min(MAX_TIMER_MS, timer.durationMs + add) };
    case 'running':
      // If time was up, the extra minute counts from now.
      return { ...timer, durationMs: timer.durationMs + add, endsAt: Math.min(now + MAX_TIMER_MS, Math.max(timer.endsAt, now) + add) };
    case 'paused':
      return { ...timer, durationMs: timer.durationMs + add, remainingMs: Math.min(MAX_TIMER_MS, timer.remainingMs + add) };
    default: {
      const never: never = timer;
      return never;
    }
  }
}

export function resetTimer(timer: TimerState): TimerState {
  return { kind: 'idle', durationMs: timer.durationMs };
}

/** "4:05", or "1:02:03" for an hour or more. Rounds up so 0:00 means time is really up. */
export function formatClock(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
