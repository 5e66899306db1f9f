using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce.Pages;

/// <summary>One person, for the operator: application, qualifications and history, attempts (reset), earnings, account and tokens.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PersonModel(
    UserService users, PeopleService people, TokenService tokens, AssessmentService assessments, TierService tiers, Pay.Earnings earnings, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid UserId { get; set; }

    [BindProperty]
    public Guid ProjectId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? TrackId { get; set; }

    [BindProperty]
    public int? Tier { get; set; }

    [BindProperty]
    public Guid TokenId { get; set; }

    [BindProperty]
    public string? TokenName { get; set; }

    public PersonDetail Detail { get; private set; } = null!;

    public IReadOnlyList<TokenView> Tokens { get; private set; } = [];

    /// <summary>What the person earned, was paid, is due and has held, per currency, over all time.</summary>
    public IReadOnlyList<Pay.EarningsTotal> Earnings { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>A token just issued, shown once.</summary>
    public string? NewToken { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(await users.FindAsync(UserId.ToString(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            var attempt = await assessments.ResetAsync(ProjectId, user.Id, Reason, User.UserId(), cancellationToken);
            await audit.RecordAsync(AuditKinds.AssessmentReset, ProjectId, user.Name, attempt.ResetReason, cancellationToken);
            Message = "The attempt was reset; the person may start the assessment again.";
        }, cancellationToken);

    public Task<IActionResult> OnPostTierAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            await tiers.ChangeTierAsync(user.Id, TrackId ?? "", Tier, Reason ?? "", User.UserId(), cancellationToken);
            await audit.RecordAsync(AuditKinds.TierChanged, subject: user.Name, detail: $"{TrackId}: {Tier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {Reason}", cancellationToken: cancellationToken);
            Message = "Tier changed.";
        }, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            await users.DisableAsync(user, cancellationToken);
            await audit.RecordAsync(AuditKinds.UserDisabled, subject: user.Name, cancellationToken: cancellationToken);
            Message = "Disabled: their sessions ended and their tokens stopped working.";
        }, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            await users.EnableAsync(user, cancellationToken);
            await audit.RecordAsync(AuditKinds.UserEnabled, subject: user.Name, cancellationToken: cancellationToken);
            Message = "Enabled.";
        }, cancellationToken);

    public Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            var issued = await tokens.IssueAsync(user.Id, user.Role, new NewToken(TokenName ?? "", null, null), cancellationToken: cancellationToken);
            await audit.RecordAsync(AuditKinds.TokenIssued, subject: issued.Token.Id.ToString(), detail: $"for {user.Name}", cancellationToken: cancellationToken);
            NewToken = issued.Secret;
        }, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken) =>
        ActAsync(async user =>
        {
            await tokens.RevokeAsync(await tokens.FindAsync(user.Id, TokenId, cancellationToken), cancellationToken);
            await audit.RecordAsync(AuditKinds.TokenRevoked, subject: TokenId.ToString(), cancellationToken: cancellationToken);
            Message = "Token revoked.";
        }, cancellationToken);

    // The page shows the outcome in place (a new token is shown once, so it cannot be a redirect).
    private async Task<IActionResult> ActAsync(Func<User, Task> act, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(UserId.ToString(), cancellationToken);
        try
        {
            await act(user);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException or ForbiddenException)
        {
            Error = e.Message;
        }

        await LoadAsync(user, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(User user, CancellationToken cancellationToken)
    {
        Detail = await people.DetailAsync(user, cancellationToken);
        Tokens = await tokens.ListAsync(user.Id, cancellationToken);
        Earnings = (await earnings.ForAsync(user.Id, from: null, to: null, cancellationToken)).Totals;
    }
}
