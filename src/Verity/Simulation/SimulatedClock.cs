namespace Verity.Simulation;

/// <summary>
/// The server's clock during a simulation: it reads the simulated time the run has reached, so lease times, time on
/// task and everything measured from them follow the simulated crowd and do not depend on how loaded the machine
/// running the simulation is. Timers still run on real time (only the quality pass uses one, and it is off).
/// </summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>Moves the clock to <paramref name="seconds"/> after the start. Only the simulator sets it, one request at a time.</summary>
    public void Set(double seconds) => Interlocked.Exchange(ref _ticks, start.UtcTicks + (long)(seconds * TimeSpan.TicksPerSecond));

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
