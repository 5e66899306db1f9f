namespace Verity.LoadBench;

/// <summary>Request latencies in milliseconds, summarised by nearest-rank percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public void AddRange(Latencies other) => _milliseconds.AddRange(other._milliseconds);

    public double Percentile(double percent)
    {
        if (_milliseconds.Count == 0)
            return double.NaN;
        _milliseconds.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * _milliseconds.Count);
        return _milliseconds[Math.Clamp(rank - 1, 0, _milliseconds.Count - 1)];
    }

    public double Max => Percentile(100);
}
