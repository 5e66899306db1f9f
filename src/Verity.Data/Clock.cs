namespace Verity.Data;

/// <summary>Times as the database keeps them.</summary>
public static class Clock
{
    /// <summary>
    /// Now in UTC, cut to whole microseconds: PostgreSQL keeps no finer, so a time written and the same time read back
    /// (a replayed submission's answer) are equal to the digit.
    /// </summary>
    public static DateTime StoredNow(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
