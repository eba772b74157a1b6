export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div className="h-2.5 w-full rounded-full bg-slate-200" role="progressbar" aria-label={label} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
      <div className="h-2.5 rounded-full bg-brand-700" style={{ width: `${percent}%` }} />
    </div>
  );
}

const STATUS_STYLES: Record<string, string> = {
  not_started: "bg-slate-100 text-slate-800",
  in_progress: "bg-sky-100 text-sky-900",
  completed: "bg-emerald-100 text-emerald-900",
  overdue: "bg-red-100 text-red-900",
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium ${STATUS_STYLES[status] ?? STATUS_STYLES.not_started}`}>{label}</span>;
}
