using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Infrastructure;

namespace Verity.Workforce.Pages;

/// <summary>The operator changes the list of tracks and their rates.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class TracksModel(TrackService tracks) : PageModel
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
        ActAsync(() => tracks.AddAsync(new TrackRequest(Id, Name, Rate(), Currency, Position), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken) =>
        ActAsync(() => tracks.ChangeAsync(Id ?? "", new TrackRequest(null, Name, Rate(), Currency, Position), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) =>
        ActAsync(() => tracks.RemoveAsync(Id ?? "", cancellationToken), cancellationToken);

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
