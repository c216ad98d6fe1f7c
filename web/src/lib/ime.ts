// Korean IME safety: the Enter that commits a composed syllable must never submit or send.
import type { KeyboardEvent } from 'react';

/** true while an IME composition is in progress (229 covers Safari's late compositionend). */
export function isComposing(e: KeyboardEvent): boolean {
  return e.nativeEvent.isComposing || e.keyCode === 229;
}

/** onKeyDown for inputs inside a <form>: blocks the implicit submit while composing. */
export function blockEnterWhileComposing(e: KeyboardEvent) {
  if (e.key === 'Enter' && isComposing(e)) e.preventDefault();
}

/** onKeyDown that runs `action` on Enter, but never while composing (and not with Shift, for textareas). */
export function onEnter(action: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    if (isComposing(e)) return;
    e.preventDefault();
    action();
  };
}
