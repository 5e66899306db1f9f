using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Core;
using Verity.Infrastructure;

namespace Verity.Workforce.Pay;

/// <summary>The body of POST /api/v1/payouts: the period to pay, its first and last day (UTC, yyyy-MM-dd).</summary>
public sealed record PayoutRequest(string? From, string? To);

/// <summary>Earnings for the person, and the ledger and payouts for operators.</summary>
internal static class PayApi
{
    public static RouteGroupBuilder MapPayApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/earnings", EarningsAsync)
            .WithTags("Pay")
            .WithName("MyEarnings")
            .WithSummary("The caller's earnings per day, project and track (hours and amount), operators' adjustments and bonuses with "
                + "their reasons, and totals earned, paid, due and held; from and to (yyyy-MM-dd, UTC, inclusive) narrow the days.")
            .RequireAuthorization(Policies.SignedIn);
        var admin = api.MapGroup("").WithTags("Pay").RequireAuthorization(Policies.Admin);
        admin.MapGet("/payouts", ShowPayoutAsync)
            .WithName("Payout")
            .WithSummary("The payout of a period (from and to, yyyy-MM-dd, inclusive): the one recorded for it, or what paying it now "
                + "would pay (every unpaid entry up to its last day, less those held by a quarantine); person, hours, amount, currency. "
                + "CSV with Accept: text/csv or format=csv (admin).");
        admin.MapPost("/payouts", PayAsync)
            .WithName("RecordPayout")
            .WithSummary("Record the payout of a period: its entries are marked paid; a period overlapping one already paid is refused (409); "
                + "CSV as for GET (admin).");
        admin.MapPost("/ledger", AddEntryAsync)
            .WithName("AddLedgerEntry")
            .WithSummary("Write an adjustment or a bonus for a person, with the reason they will read; corrections name the entry they correct (admin).");
        admin.MapGet("/ledger", EntriesAsync)
            .WithName("Ledger")
            .WithSummary("A person's ledger entries, newest first (admin).");
        return api;
    }

    private static async Task<Ok<EarningsView>> EarningsAsync(string? from, string? to, ClaimsPrincipal user, Earnings earnings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await earnings.ForAsync(user.UserId(), Day(from, "from"), Day(to, "to"), cancellationToken));

    private static async Task<Results<Ok<PayoutView>, ContentHttpResult>> ShowPayoutAsync(
        string? from, string? to, string? format, HttpContext context, Payouts payouts, CancellationToken cancellationToken)
    {
        var payout = await payouts.ShowAsync(Required(from, "from"), Required(to, "to"), cancellationToken);
        return WantsCsv(context, format) ? Csv(context, payout, StatusCodes.Status200OK) : TypedResults.Ok(payout);
    }

    private static async Task<Results<Created<PayoutView>, ContentHttpResult>> PayAsync(
        PayoutRequest request, string? format, HttpContext context, Payouts payouts, CancellationToken cancellationToken)
    {
        var payout = await payouts.PayAsync(Required(request.From, "from"), Required(request.To, "to"), context.User.UserId(), cancellationToken);
        context.Response.Headers.Location = $"/api/v1/payouts?from={payout.From:yyyy-MM-dd}&to={payout.To:yyyy-MM-dd}";
        return WantsCsv(context, format)
            ? Csv(context, payout, StatusCodes.Status201Created)
            : TypedResults.Created(context.Response.Headers.Location.ToString(), payout);
    }

    private static async Task<Created<LedgerEntryView>> AddEntryAsync(LedgerRequest request, ClaimsPrincipal user, Ledger ledger, CancellationToken cancellationToken)
    {
        var entry = await ledger.AddAsync(request, user.UserId(), cancellationToken);
        return TypedResults.Created($"/api/v1/ledger?user={Uri.EscapeDataString(request.User!)}", LedgerEntryView.Of(entry));
    }

    private static async Task<Ok<IReadOnlyList<LedgerEntryView>>> EntriesAsync(string? user, UserService users, Ledger ledger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user))
            throw ValidationException.For("user", "is required: the person's name.");
        var found = await users.FindAsync(user, cancellationToken);
        return TypedResults.Ok(await ledger.EntriesAsync(found.Id, cancellationToken));
    }

    private static bool WantsCsv(HttpContext context, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    private static ContentHttpResult Csv(HttpContext context, PayoutView payout, int status)
    {
        context.Response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"payout-{payout.From:yyyy-MM-dd}-{payout.To:yyyy-MM-dd}.csv\"");
        return TypedResults.Text(payout.ToCsv(), "text/csv; charset=utf-8", statusCode: status);
    }

    /// <summary>A day as yyyy-MM-dd (UTC), required; the API and the command line read periods alike.</summary>
    internal static DateOnly Required(string? value, string field) =>
        Day(value, field) ?? throw ValidationException.For(field, "is required: a day as yyyy-MM-dd (UTC).");

    private static DateOnly? Day(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ValidationException.For(field, "must be a day as yyyy-MM-dd (UTC).");
    }
}
