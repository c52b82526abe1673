import { describe, expect, it, vi } from 'vitest';
import { BEAT_EVERY_MS, LIVE_WINDOW_MS, Presence } from '../../src/observability/presence.js';
import { counterIds } from '../../src/runtime/clock.js';
import { MemoryProcesses } from '../../src/state/memory-processes.js';
import { FakeClock, silentLog } from '../support/fakes.js';

function presenceOn(register: MemoryProcesses, clock: FakeClock): Presence {
  return new Presence(register, clock, silentLog, counterIds(), '9.9.9');
}

describe('presence', () => {
  it('announces this process at once, and counts the processes seen within the live window', async () => {
    const register = new MemoryProcesses();
    const clock = new FakeClock();
    const first = presenceOn(register, clock);
    await first.beat();
    const second = new Presence(register, clock, silentLog, { next: () => 'x', uuid: () => 'second' }, '9.9.9');
    await second.beat();
    expect((await second.live())?.map((p) => p.id)).toEqual([first.self.id, 'second']);
    expect(first.self).toMatchObject({ pid: process.pid, version: '9.9.9', startedAt: clock.now() });
    // The first stops beating without leaving (a crash); the second goes on.
    clock.advance(LIVE_WINDOW_MS + 1);
    await second.beat();
    expect((await first.live())?.map((p) => p.id)).toEqual(['second']);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('beats on a timer, not per call', async () => {
    vi.useFakeTimers();
    try {
      const register = new MemoryProcesses();
      const beat = vi.spyOn(register, 'beat');
      const presence = presenceOn(register, new FakeClock());
      expect(beat).toHaveBeenCalledTimes(1);
      await presence.live();
      await vi.advanceTimersByTimeAsync(BEAT_EVERY_MS * 3);
      expect(beat).toHaveBeenCalledTimes(4);
      await presence.stop();
      await vi.advanceTimersByTimeAsync(BEAT_EVERY_MS * 3);
      expect(beat).toHaveBeenCalledTimes(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not pile beats onto a store that has not answered the last one', async () => {
    vi.useFakeTimers();
    try {
      const register = new MemoryProcesses();
      const beat = vi.spyOn(register, 'beat').mockReturnValue(new Promise<void>(() => undefined));
      const presence = presenceOn(register, new FakeClock());
      await vi.advanceTimersByTimeAsync(BEAT_EVERY_MS * 3);
      expect(beat).toHaveBeenCalledTimes(1);
      await presence.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves the register when it stops, so a clean restart is not counted twice', async () => {
    const register = new MemoryProcesses();
    const clock = new FakeClock();
    const before = presenceOn(register, clock);
    await before.beat();
    await before.stop();
    const after = new Presence(register, clock, silentLog, { next: () => 'x', uuid: () => 'after' }, '9.9.9');
    await after.beat();
    expect((await after.live())?.map((p) => p.id)).toEqual(['after']);
    await after.stop();
  });

  it('says nothing rather than a wrong count when the store cannot be asked, and survives a failed beat', async () => {
    const register = new MemoryProcesses();
    vi.spyOn(register, 'beat').mockRejectedValue(new Error('store down'));
    vi.spyOn(register, 'seen').mockRejectedValue(new Error('store down'));
    const presence = presenceOn(register, new FakeClock());
    await expect(presence.beat()).resolves.toBeUndefined();
    expect(await presence.live()).toBeNull();
    await presence.stop();
  });
});
