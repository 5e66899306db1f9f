using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce.Pages;

/// <summary>The operator changes the list of tracks and their rates.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class TracksModel(TrackService tracks, AuditLog audit) : PageModel
{
    [BindProperty]
    public string? Id { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? HourlyRate { get; set; }

    [BindProperty]
    public string? Currency { get; set; }

    [BindProperty]
    public int? Position { get; set; }

    public IReadOnlyList<TrackView> Tracks { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tracks = await tracks.ListAsync(cancellationToken);

    public Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            var track = await tracks.AddAsync(new TrackRequest(Id, Name, Rate(), Currency, Position), cancellationToken);
            await audit.RecordAsync(AuditKinds.TrackChanged, subject: track.Id, detail: $"added at {track.HourlyRate} {track.Currency}", cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            var track = await tracks.ChangeAsync(Id ?? "", new TrackRequest(null, Name, Rate(), Currency, Position), cancellationToken);
            await audit.RecordAsync(AuditKinds.TrackChanged, subject: track.Id, detail: $"{track.Name} at {track.HourlyRate} {track.Currency}", cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            await tracks.RemoveAsync(Id ?? "", cancellationToken);
            await audit.RecordAsync(AuditKinds.TrackChanged, subject: Id, detail: "removed", cancellationToken: cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(Func<Task> act, CancellationToken cancellationToken)
    {
        try
        {
            await act();
            return Redirect("/admin/tracks");
        }
        catch (VerityException e)
        {
            Error = e.Message;
            Tracks = await tracks.ListAsync(cancellationToken);
            return Page();
        }
    }

    // Money is read as typed, in invariant decimal, never through a float.
    private decimal? Rate() =>
        string.IsNullOrWhiteSpace(HourlyRate) ? null
        : decimal.TryParse(HourlyRate, NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) ? rate
        : throw ValidationException.For("hourlyRate", "must be a number such as 42.50.");
}
