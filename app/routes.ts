import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

// The whole URL map. tests/e2e/access-matrix.spec.ts lists every path below with who may reach it
// and fails when a route has no entry there.
export default [
  route("healthz", "routes/api/healthz.ts"),
  route("set-language", "routes/set-language.ts"),
  route("course-assets/:versionId/*", "routes/learn/asset.ts"),
  route("api/certificates/:code", "routes/api/certificate.ts"),
  route("certificates/:code/pdf", "routes/certificates/pdf.ts"),
  layout("routes/layout.tsx", [
    index("routes/home.tsx"),
    route("login", "routes/auth/login.tsx"),
    route("logout", "routes/auth/logout.ts"),
    route("signup", "routes/auth/signup.tsx"),
    route("verify-email", "routes/auth/verify-email.tsx"),
    route("forgot-password", "routes/auth/forgot-password.tsx"),
    route("reset-password", "routes/auth/reset-password.tsx"),
    route("invite/:token", "routes/auth/invite.tsx"),
    route("settings", "routes/settings.tsx"),
    route("me/certificates", "routes/certificates/mine.tsx"),
    route("verify", "routes/verify/index.tsx"),
    route("verify/:code", "routes/verify/code.tsx"),
    ...prefix("courses", [index("routes/learn/catalogue.tsx"), route(":slug", "routes/learn/course.tsx")]),
    ...prefix("learn/:slug", [
      index("routes/learn/overview.tsx"),
      route("lesson/:itemKey", "routes/learn/lesson.tsx"),
      route("quiz/:itemKey", "routes/learn/quiz.tsx"),
      route("attempt/:attemptId", "routes/learn/attempt.tsx"),
      route("attempt/:attemptId/result", "routes/learn/result.tsx"),
      route("case/:itemKey", "routes/learn/case.tsx"),
    ]),
    ...prefix("admin", [index("routes/admin/organisations.tsx")]),
    ...prefix("org/:orgId", [index("routes/org/overview.tsx"), route("people/:userId", "routes/org/person.tsx")]),
    route("dev/mail", "routes/dev/mail.tsx"),
    route("*", "routes/not-found.tsx"),
  ]),
] satisfies RouteConfig;
