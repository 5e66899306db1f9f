using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>One submitted task: the seconds spent on it and how many characters it showed (prompt and responses).</summary>
public sealed record TimedTask(double Seconds, int CharactersShown);

/// <summary>
/// Fires when too many of an annotator's tasks were submitted faster than anyone can read what was
/// shown: the floor is the characters shown, read at <c>WordsPerMinute</c>.
/// </summary>
/// <param name="Tasks">Tasks looked at.</param>
/// <param name="BelowFloor">Tasks submitted faster than the reading floor.</param>
/// <param name="WordsPerMinute">The reading speed cap that sets the floor.</param>
/// <param name="FiringShare">Share of tasks below the floor at which the detector fires.</param>
/// <param name="MinTasks">Fewest tasks the detector judges on.</param>
public sealed record TooFast(int Tasks, int BelowFloor, double WordsPerMinute, double FiringShare, int MinTasks) : IDetection
{
    /// <summary>
    /// Skimming speed; careful reading is 200–300 words a minute, so faster than this nobody read the task.
    /// </summary>
    public const double DefaultWordsPerMinute = 1000;

    /// <summary>Average English word length plus the space after it.</summary>
    public const double CharactersPerWord = 6;

    /// <summary>Share of tasks below the floor.</summary>
    public double Share => Tasks == 0 ? 0 : (double)BelowFloor / Tasks;

    /// <inheritdoc />
    public bool Fires => Tasks >= MinTasks && Share >= FiringShare;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"{BelowFloor} of {Tasks} tasks ({Share:P0}) submitted faster than reading at {WordsPerMinute:0} words/min; fires at {FiringShare:P0} of at least {MinTasks} tasks");

    /// <summary>The seconds it takes to read <paramref name="characters"/> at <paramref name="wordsPerMinute"/>.</summary>
    public static double Floor(int characters, double wordsPerMinute = DefaultWordsPerMinute) =>
        characters / CharactersPerWord / wordsPerMinute * 60;

    /// <summary>Checks one annotator's tasks.</summary>
    public static TooFast Detect(
        IEnumerable<TimedTask> tasks, double wordsPerMinute = DefaultWordsPerMinute, double firingShare = 0.2, int minTasks = 10)
    {
        if (!(wordsPerMinute > 0))
            throw new ArgumentOutOfRangeException(nameof(wordsPerMinute), wordsPerMinute, "must be positive");
        var count = 0;
        var below = 0;
        foreach (var task in tasks)
        {
            count++;
            if (task.Seconds < Floor(task.CharactersShown, wordsPerMinute))
                below++;
        }

        return new TooFast(count, below, wordsPerMinute, firingShare, minTasks);
    }
}
