// A token bucket per connection: cheap enough for the hot path (no timers, no promises).
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private capacity: number,
    private perSecond: number,
    now = Date.now()
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  take(n = 1, now = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}
