namespace Verity.Core.Quality;

/// <summary>What a detector found about one annotator: whether it fires, and why, in words and numbers a person can check.</summary>
public interface IDetection
{
    /// <summary>True when the evidence is strong enough to act on.</summary>
    bool Fires { get; }

    /// <summary>The numbers behind the decision, as one readable sentence.</summary>
    string Evidence { get; }
}
