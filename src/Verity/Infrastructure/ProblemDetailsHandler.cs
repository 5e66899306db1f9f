using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Verity.Core;
using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>The one place where failures become RFC 7807 problem details (or, for a browser, the error page).</summary>
internal sealed class ProblemDetailsHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        exception = DatabaseErrors.Translate(exception);
        var (status, title) = exception switch
        {
            ValidationException => (StatusCodes.Status400BadRequest, "The request is invalid."),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found."),
            ForbiddenException => (StatusCodes.Status403Forbidden, "Forbidden."),
            ConflictException => (StatusCodes.Status409Conflict, "Conflict."),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        var problem = exception is ValidationException validation
            ? new ValidationProblemDetails(validation.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = title;
        problem.Detail = status == StatusCodes.Status500InternalServerError ? null : Detail(exception);
        // A handled exception is not logged by the framework: say here what failed underneath (a full disk, a read-only
        // database), which a wrapper such as "An error occurred using a transaction" does not.
        if (status == StatusCodes.Status500InternalServerError)
            logger.LogError(exception, "{Method} {Path} failed: {Cause} (reference {Reference})",
                httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message, httpContext.TraceIdentifier);

        httpContext.Response.StatusCode = status;
        if (ErrorPages.ForBrowser(httpContext.Request))
        {
            // Left without a body, the status becomes the error page (ErrorPages).
            ErrorPages.KeepDetail(httpContext, problem.Detail);
            return true;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    // A JSON binding failure names the offending property in its inner exception.
    private static string Detail(Exception exception) =>
        exception is BadHttpRequestException { InnerException: { } inner } ? inner.Message : exception.Message;
}
