using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>
/// SQLite has one writer. When two requests race for it, Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping
/// and retrying, which turned 50 concurrent annotators into queues with multi-second tails (BENCHMARKS.md,
/// "Assignment under load"). The embedded server is one process, so its write transactions queue here instead,
/// in order and without sleeping. PostgreSQL locks rows and passes straight through.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _waiting;

    /// <summary>Write transactions waiting for their turn now (a metric: a queue that grows means SQLite is the limit).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<IDisposable> EnterAsync(VerityDbContext db, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite)
            return NoGate.Instance;
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
        }
    }

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }
}
