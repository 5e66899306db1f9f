namespace Verity.Workforce;

/// <summary>Tracks the code refers to by id; the rest are the operator's.</summary>
public static class TrackIds
{
    /// <summary>The Starter Assessment qualifies for it; a person qualified in no track is an applicant.</summary>
    public const string General = "general";
}
