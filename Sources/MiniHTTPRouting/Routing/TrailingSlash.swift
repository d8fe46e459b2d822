/// What a router does with a path that matches no route as sent, but would with its final `/` added or
/// removed: `/todos/` when only `/todos` is registered (or the reverse).
///
/// Applied only when nothing matched as sent (a matching request pays nothing for it), before the static
/// files are tried.
public enum TrailingSlash: Sendable {
    /// Redirects with `308 Permanent Redirect` to the registered form, the query kept (the method and
    /// body are kept too, RFC 9110 §15.4.9). One URL per resource: caches, logs and relative links on a
    /// page agree. The default.
    case redirect
    /// Answers both forms with the registered route.
    case match
    /// Only the registered form matches; the other is 404.
    case strict
}
