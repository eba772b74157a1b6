import { data } from "react-router";

// Unknown URLs get a real 404 inside the app shell.
export function loader() {
  throw data({ message: "errors.notFound" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
