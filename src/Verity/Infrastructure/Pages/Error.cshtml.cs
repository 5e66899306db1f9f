using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Verity.Infrastructure.Pages;

/// <summary>
/// What a browser shows for a failed request, re-run here by <see cref="ErrorPages"/> with the original status (any
/// method: a failed form post lands here too, hence no handler and no antiforgery check).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status => HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode
        ?? (int.TryParse(RouteData.Values["status"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : StatusCodes.Status404NotFound);

    public (string Heading, string Explanation) Text => Status switch
    {
        StatusCodes.Status400BadRequest => ("The request could not be read", "Go back and try again."),
        StatusCodes.Status401Unauthorized => ("Sign in first", "This page is for signed-in people."),
        StatusCodes.Status403Forbidden => ("Not allowed", "Your role or standing does not give access to this page."),
        StatusCodes.Status404NotFound => ("Not found", "There is no such page, or it is not yours to see."),
        StatusCodes.Status409Conflict => ("Something changed meanwhile", "Reload the page and try again."),
        StatusCodes.Status429TooManyRequests => ("Too many requests", "Wait a minute, then try again."),
        >= 500 => ("Something went wrong", "The error has been logged for the operator. Try again in a moment; if it keeps happening, tell them the reference below."),
        _ => ("The request failed", "Go back and try again."),
    };

    /// <summary>What the domain said (a project not yours, why work stopped); never a server error's inner message.</summary>
    public string? Detail => Status >= 500 ? null : ErrorPages.Detail(HttpContext);
}
