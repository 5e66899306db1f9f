namespace Verity.LoadBench;

/// <summary>
/// Hands judgements to the replay loops so that one worker never has two open leases at once: a worker is busy
/// from the moment one of their judgements is taken until it is released. Among idle workers the one with the most
/// judgements left goes first, because the heaviest worker's judgements must run one after another and would
/// otherwise be left alone at the end.
/// </summary>
internal sealed class JudgementQueue
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<UkpJudgement>> _left = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, int> _idle = new();
    private int _busy;

    public JudgementQueue(IEnumerable<UkpJudgement> judgements, int seed)
    {
        var random = new Random(seed);
        foreach (var worker in judgements.GroupBy(j => j.Worker, StringComparer.Ordinal))
        {
            var mine = worker.ToArray();
            random.Shuffle(mine);
            _left[worker.Key] = new Queue<UkpJudgement>(mine);
            _idle.Enqueue(worker.Key, -mine.Length);
        }
    }

    /// <summary>
    /// The next judgement of an idle worker; null with <paramref name="finished"/> false when every worker with
    /// judgements left is busy right now, null with <paramref name="finished"/> true when nothing is left at all.
    /// </summary>
    public UkpJudgement? Take(out bool finished)
    {
        lock (_lock)
        {
            if (_idle.TryDequeue(out var worker, out _))
            {
                _busy++;
                finished = false;
                return _left[worker].Dequeue();
            }

            finished = _busy == 0;
            return null;
        }
    }

    /// <summary>
    /// The worker's judgement is done (or abandoned): they may be given their next one. A judgement to try again
    /// goes to the back of the worker's own queue.
    /// </summary>
    public void Release(string worker, UkpJudgement? again = null)
    {
        lock (_lock)
        {
            _busy--;
            if (again is not null)
                _left[worker].Enqueue(again);
            var left = _left[worker].Count;
            if (left > 0)
                _idle.Enqueue(worker, -left);
        }
    }
}
