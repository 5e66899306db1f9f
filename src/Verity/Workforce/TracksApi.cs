using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;

namespace Verity.Workforce;

/// <summary>Tracks and their rates: everyone signed in reads them; admins change them.</summary>
internal static class TracksApi
{
    public static RouteGroupBuilder MapTracksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tracks").WithTags("Workforce");
        group.MapGet("/", ListAsync)
            .WithName("ListTracks")
            .WithSummary("The tracks with their starting hourly rates (tier 1), in the operator's order.")
            .RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", AddAsync)
            .WithName("AddTrack")
            .WithSummary("Add a track: id (a slug), name, hourlyRate, currency (default USD), position (admin).")
            .RequireAuthorization(Policies.Admin);
        group.MapPatch("/{trackId}", ChangeAsync)
            .WithName("ChangeTrack")
            .WithSummary("Change a track's name, hourly rate, currency or position; omitted fields stay (admin).")
            .RequireAuthorization(Policies.Admin);
        group.MapDelete("/{trackId}", RemoveAsync)
            .WithName("RemoveTrack")
            .WithSummary("Remove a track nothing refers to; 409 when people or projects use it (admin).")
            .RequireAuthorization(Policies.Admin);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<TrackView>>> ListAsync(TrackService tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tracks.ListAsync(cancellationToken));

    private static async Task<Created<TrackView>> AddAsync(TrackRequest request, TrackService tracks, CancellationToken cancellationToken)
    {
        var track = await tracks.AddAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/tracks/{track.Id}", track);
    }

    private static async Task<Ok<TrackView>> ChangeAsync(string trackId, TrackRequest request, TrackService tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tracks.ChangeAsync(trackId, request, cancellationToken));

    private static async Task<NoContent> RemoveAsync(string trackId, TrackService tracks, CancellationToken cancellationToken)
    {
        await tracks.RemoveAsync(trackId, cancellationToken);
        return TypedResults.NoContent();
    }
}
