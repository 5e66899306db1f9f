namespace Verity.Infrastructure;

/// <summary>
/// People in a browser get an HTML page for a failed request (404, 403, 429, 500, ...); programs, and everything under
/// /api, get the RFC 7807 problem document.
/// </summary>
internal static class ErrorPages
{
    private static readonly object DetailKey = new();

    /// <summary>A browser asking for a page: outside the API and accepting HTML.</summary>
    public static bool ForBrowser(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Failures become responses: exceptions through <see cref="ProblemDetailsHandler"/>, bare statuses (no route, a
    /// role refused, a rate limit) as problem documents for programs, and for a browser both are re-run as the error
    /// page, which then says what happened.
    /// </summary>
    public static void UseErrorResponses(this IApplicationBuilder app)
    {
        app.UseWhen(context => ForBrowser(context.Request), branch => branch.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseExceptionHandler();
        app.UseWhen(context => !ForBrowser(context.Request), branch => branch.UseStatusCodePages());
    }

    /// <summary>Keeps what the domain said about the failure (never a 500's inner message) for the error page.</summary>
    public static void KeepDetail(HttpContext context, string? detail) => context.Items[DetailKey] = detail;

    public static string? Detail(HttpContext context) => context.Items[DetailKey] as string;
}
