using System.ComponentModel.DataAnnotations;

namespace Verity.Workforce.Pay;

/// <summary>Section "Workforce:Pay".</summary>
public sealed class PayOptions
{
    /// <summary>The currency of a project rate paid to someone without a qualification there, and of operator entries that name none.</summary>
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "USD";

    /// <summary>Seconds without input after which the workbench stops counting active time.</summary>
    [Range(1, 3600)]
    public int IdleSeconds { get; set; } = 120;
}
