// A small event emitter: on(name, fn) returns a function that unsubscribes; a listener that
// throws is reported to the 'listener-error' listeners and never stops the others.
export class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  /** Calls fn(value) for every emit(name, value) until the returned function is called. */
  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name)?.delete(fn);
  }

  /** Calls the listeners of name with value. */
  emit(name, value) {
    for (const fn of [...(this.listeners.get(name) ?? [])]) {
      try {
        fn(value);
      } catch (e) {
        if (name !== 'listener-error') this.emit('listener-error', e);
      }
    }
  }
}
