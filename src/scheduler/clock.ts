import cron, { type ScheduledTask } from 'node-cron';

/**
 * What drives the scheduler: `now()` and a beat. node-cron is the clock (a task every second, `* * * * * *`);
 * which rule is due is computed by the scheduler from epoch-aligned ticks of each rule's interval. That way
 * any interval works (7m, 90s and 10s alike, which cron patterns cannot all express), every replica agrees on
 * the ticks, and tests drive a manual clock instead.
 */
export interface Clock {
  now(): number;
  start(onBeat: () => void): void;
  stop(): void;
}

export function cronClock(): Clock {
  let task: ScheduledTask | undefined;
  return {
    now: () => Date.now(),
    start(onBeat) {
      if (task !== undefined) throw new Error('clock already started');
      task = cron.createTask('* * * * * *', () => onBeat(), { name: 'kdw-clock', noOverlap: false });
      void task.start();
    },
    stop() {
      void task?.destroy();
      task = undefined;
    },
  };
}
