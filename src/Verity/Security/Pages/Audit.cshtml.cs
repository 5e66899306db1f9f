using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Security.Pages;

/// <summary>The operator's view of the audit log: the newest events, optionally of one kind.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AuditModel(VerityDbContext db) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<AuditView> Events { get; private set; } = [];

    public string? Kind { get; private set; }

    public async Task OnGetAsync(string? kind, CancellationToken cancellationToken)
    {
        Kind = kind;
        Events = await AuditApi.NewestAsync(db, Shown, before: null, kind, cancellationToken);
    }
}
