using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Workforce.Pay.Pages;

/// <summary>
/// The operator's payouts: choose a period, see what it pays (and what is held), record it, download it as CSV;
/// and write an adjustment or bonus with its reason.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PayoutsModel(Payouts payouts, Ledger ledger, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty]
    public string? Person { get; set; }

    [BindProperty]
    public string? Kind { get; set; } = LedgerKinds.Bonus;

    [BindProperty]
    public decimal? Amount { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public PayoutView? Payout { get; private set; }
    public IReadOnlyList<Payout> Recorded { get; private set; } = [];
    public string? Notice { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = TempData["notice"] as string;
        await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostPayAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (from, to) = Period();
            var paid = await payouts.PayAsync(from, to, User.UserId(), cancellationToken);
            TempData["notice"] = $"Paid {From} to {To}: {paid.Lines.Count} people. Their entries are marked paid.";
            return Redirect($"/admin/payouts?from={From}&to={To}");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
        }
        catch (ConflictException e)
        {
            Notice = e.Message;
        }

        await ShowAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEntryAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entry = await ledger.AddAsync(new LedgerRequest(Person, Kind, Amount, Reason), User.UserId(), cancellationToken);
            TempData["notice"] = $"Recorded a {entry.Kind} of {entry.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {entry.Currency} for {Person}.";
            return Redirect($"/admin/payouts?from={From}&to={To}");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
        }

        await ShowAsync(cancellationToken);
        return Page();
    }

    public string[] ErrorsFor(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        Recorded = await payouts.RecordedAsync(cancellationToken);
        // By default, the last calendar month: the usual period.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        From ??= firstOfMonth.AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To ??= firstOfMonth.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        try
        {
            var (from, to) = Period();
            Payout = await payouts.ShowAsync(from, to, cancellationToken);
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
        }
    }

    private (DateOnly From, DateOnly To) Period()
    {
        var errors = new ErrorList();
        if (!DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            errors.Add("from", "must be a day as yyyy-MM-dd (UTC).");
        if (!DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            errors.Add("to", "must be a day as yyyy-MM-dd (UTC).");
        errors.ThrowIfAny();
        return (from, to);
    }
}
