import { Link } from "react-router";

export function LinkButton({ to, children, variant = "primary", reloadDocument }: { to: string; children: React.ReactNode; variant?: "primary" | "secondary"; reloadDocument?: boolean }) {
  const styles = variant === "primary" ? "bg-brand-700 text-white hover:bg-brand-800" : "border border-slate-400 bg-white text-slate-900 hover:bg-slate-100";
  return (
    <Link to={to} reloadDocument={reloadDocument} className={`inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 font-medium ${styles}`}>
      {children}
    </Link>
  );
}
