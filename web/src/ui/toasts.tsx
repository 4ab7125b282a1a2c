/** Geofence enter/exit and info toasts; each disappears after a few seconds or on click. */
import { useEffect } from 'react';
import { useUi } from '../app-context.ts';

const TOAST_MS = 6_000;

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismissToast);
  useEffect(() => {
    if (toasts.length === 0) return;
    const oldest = toasts[0];
    const t = setTimeout(() => oldest && dismiss(oldest.id), TOAST_MS);
    return () => clearTimeout(t);
  }, [toasts, dismiss]);
  return (
    <div className="toasts" data-testid="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <button
          type="button"
          key={t.id}
          className={`toast toast-${t.kind}`}
          data-testid="toast"
          data-kind={t.kind}
          onClick={() => dismiss(t.id)}
        >
          {t.text}
        </button>
      ))}
    </div>
  );
}
