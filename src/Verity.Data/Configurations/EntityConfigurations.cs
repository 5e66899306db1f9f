using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Verity.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.Name).HasMaxLength(100);
        builder.Property(u => u.Role).HasMaxLength(20);
        builder.Property(u => u.Pseudonym).HasMaxLength(40);
        builder.Property(u => u.AppliedTracks).HasMaxLength(400);
        builder.HasIndex(u => u.Name).IsUnique();
        builder.HasIndex(u => u.Pseudonym).IsUnique();
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Scopes).HasMaxLength(200);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.Property(e => e.Kind).HasMaxLength(50);
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.Subject).HasMaxLength(200);
        builder.Property(e => e.Address).HasMaxLength(64);
        builder.HasIndex(e => e.CreatedAt);
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("projects");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Kind).HasMaxLength(20);
        builder.Property(p => p.ServingPolicy).HasMaxLength(20);
        builder.Property(p => p.HourlyRate).HasPrecision(12, 2);
        builder.Property(p => p.Purpose).HasMaxLength(20);
        builder.Property(p => p.AssessmentTrackId).HasMaxLength(40);
        builder.Property(p => p.AccessTracks).HasMaxLength(400);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.OwnerId);
        builder.HasOne<Track>().WithMany().HasForeignKey(p => p.AssessmentTrackId);
    }
}

internal sealed class GuidelineVersionConfiguration : IEntityTypeConfiguration<GuidelineVersion>
{
    public void Configure(EntityTypeBuilder<GuidelineVersion> builder)
    {
        builder.ToTable("guideline_versions");
        builder.HasIndex(g => new { g.ProjectId, g.Version }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(g => g.ProjectId);
    }
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    /// <summary>The items that may still be served: the partial indexes' filter, repeated verbatim by the lease queries.</summary>
    public const string OpenItems = "NOT is_gold AND submitted_count < target_overlap";

    public void Configure(EntityTypeBuilder<Item> builder)
    {
        builder.ToTable("items");
        builder.Property(i => i.ExternalId).HasMaxLength(200);
        builder.HasIndex(i => new { i.ProjectId, i.ExternalId }).IsUnique();
        builder.HasIndex(i => new { i.ProjectId, i.IsGold });

        // The open items (not gold, not yet fully annotated), once per serving order: choosing the next item walks one of
        // these from its start and stops at the first the annotator may take, however large or finished the project is.
        // The filter is written the same way in the lease queries, which is what lets both databases use the indexes.
        builder.HasIndex(i => new { i.ProjectId, i.Position, i.Id }).HasDatabaseName("IX_items_open_by_position").HasFilter(OpenItems);
        builder.HasIndex(i => new { i.ProjectId, i.ServeKey }).HasDatabaseName("IX_items_open_by_serve_key").HasFilter(OpenItems);
        builder.HasIndex(i => new { i.ProjectId, i.Certainty, i.ServeKey }).HasDatabaseName("IX_items_open_by_certainty").HasFilter(OpenItems);
        builder.HasOne<Project>().WithMany().HasForeignKey(i => i.ProjectId);
    }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> builder)
    {
        builder.ToTable("assignments");
        builder.Property(a => a.ShownOrderJson).HasMaxLength(1000);

        // The database itself refuses a second lease of one item to one annotator (a repeat aside).
        builder.HasIndex(a => new { a.ItemId, a.AnnotatorId, a.IsRepeat }).IsUnique();
        builder.HasIndex(a => new { a.ProjectId, a.AnnotatorId });
        builder.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId);
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.AnnotatorId);
    }
}

internal sealed class AnnotationConfiguration : IEntityTypeConfiguration<Annotation>
{
    public void Configure(EntityTypeBuilder<Annotation> builder)
    {
        builder.ToTable("annotations");
        builder.Property(a => a.ShownOrderJson).HasMaxLength(1000);
        builder.Property(a => a.IdempotencyKey).HasMaxLength(100);
        builder.HasIndex(a => a.AssignmentId);
        builder.HasIndex(a => new { a.AnnotatorId, a.IdempotencyKey }).IsUnique();

        // An annotation is superseded at most once, so the answers of one lease form a single line of history.
        builder.HasIndex(a => a.SupersedesId).IsUnique();
        builder.HasOne<Annotation>().WithMany().HasForeignKey(a => a.SupersedesId);
        builder.HasIndex(a => new { a.ProjectId, a.ItemId });
        builder.HasIndex(a => new { a.ProjectId, a.Escalated });
        builder.HasOne<Assignment>().WithMany().HasForeignKey(a => a.AssignmentId);
        builder.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId);
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.AnnotatorId);
    }
}

internal sealed class GuidelineAckConfiguration : IEntityTypeConfiguration<GuidelineAck>
{
    public void Configure(EntityTypeBuilder<GuidelineAck> builder)
    {
        builder.ToTable("guideline_acks");
        builder.HasIndex(a => new { a.ProjectId, a.AnnotatorId, a.Version }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.AnnotatorId);
    }
}

internal sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> builder)
    {
        builder.ToTable("reviews");
        builder.Property(r => r.Decision).HasMaxLength(20);
        builder.HasIndex(r => r.AnnotationId).IsUnique();
        builder.HasOne<Annotation>().WithMany().HasForeignKey(r => r.AnnotationId);
        builder.HasOne<Annotation>().WithMany().HasForeignKey(r => r.CorrectionId);
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.ReviewerId);
    }
}

internal sealed class RestorationConfiguration : IEntityTypeConfiguration<Restoration>
{
    public void Configure(EntityTypeBuilder<Restoration> builder)
    {
        builder.ToTable("restorations");
        builder.HasIndex(r => new { r.ProjectId, r.AnnotatorId });
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.AnnotatorId);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.AdminId);
    }
}

internal sealed class QuarantineConfiguration : IEntityTypeConfiguration<Quarantine>
{
    public void Configure(EntityTypeBuilder<Quarantine> builder)
    {
        builder.ToTable("quarantines");
        builder.HasIndex(q => new { q.ProjectId, q.AnnotatorId });
        builder.HasOne<Project>().WithMany().HasForeignKey(q => q.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.AnnotatorId);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.DecidedById);
    }
}

internal sealed class AnnotatorQualityConfiguration : IEntityTypeConfiguration<AnnotatorQuality>
{
    public void Configure(EntityTypeBuilder<AnnotatorQuality> builder)
    {
        builder.ToTable("annotator_quality");
        builder.HasKey(q => new { q.ProjectId, q.AnnotatorId });
        builder.HasOne<Project>().WithMany().HasForeignKey(q => q.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.AnnotatorId);
    }
}

internal sealed class ProjectQualityConfiguration : IEntityTypeConfiguration<ProjectQuality>
{
    public void Configure(EntityTypeBuilder<ProjectQuality> builder)
    {
        builder.ToTable("project_quality");
        builder.HasKey(q => q.ProjectId);
        builder.HasOne<Project>().WithOne().HasForeignKey<ProjectQuality>(q => q.ProjectId);
    }
}

internal sealed class DraftConfiguration : IEntityTypeConfiguration<Draft>
{
    public void Configure(EntityTypeBuilder<Draft> builder)
    {
        builder.ToTable("drafts");
        builder.HasKey(d => d.AssignmentId);
        builder.HasOne<Assignment>().WithOne().HasForeignKey<Draft>(d => d.AssignmentId);
    }
}

internal sealed class SkipConfiguration : IEntityTypeConfiguration<Skip>
{
    public void Configure(EntityTypeBuilder<Skip> builder)
    {
        builder.ToTable("skips");
        builder.Property(s => s.Reason).HasMaxLength(60);
        builder.HasIndex(s => s.AssignmentId).IsUnique();
        builder.HasIndex(s => new { s.ProjectId, s.Reason });
        builder.HasOne<Assignment>().WithOne().HasForeignKey<Skip>(s => s.AssignmentId);
        builder.HasOne<Item>().WithMany().HasForeignKey(s => s.ItemId);
        builder.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.AnnotatorId);
    }
}

internal sealed class TrackConfiguration : IEntityTypeConfiguration<Track>
{
    public void Configure(EntityTypeBuilder<Track> builder)
    {
        builder.ToTable("tracks");
        builder.Property(t => t.Id).HasMaxLength(40);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.HourlyRate).HasPrecision(12, 2);
        builder.Property(t => t.Currency).HasMaxLength(3);
    }
}

internal sealed class QualificationConfiguration : IEntityTypeConfiguration<Qualification>
{
    public void Configure(EntityTypeBuilder<Qualification> builder)
    {
        builder.ToTable("qualifications");
        builder.HasKey(q => new { q.UserId, q.TrackId });
        builder.Property(q => q.TrackId).HasMaxLength(40);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.UserId);
        builder.HasOne<Track>().WithMany().HasForeignKey(q => q.TrackId);
    }
}

internal sealed class TierChangeConfiguration : IEntityTypeConfiguration<TierChange>
{
    public void Configure(EntityTypeBuilder<TierChange> builder)
    {
        builder.ToTable("tier_changes");
        builder.Property(c => c.TrackId).HasMaxLength(40);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.HasIndex(c => new { c.UserId, c.At });
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.ByUserId);
        builder.HasOne<Track>().WithMany().HasForeignKey(c => c.TrackId);
    }
}

internal sealed class AssessmentAttemptConfiguration : IEntityTypeConfiguration<AssessmentAttempt>
{
    public void Configure(EntityTypeBuilder<AssessmentAttempt> builder)
    {
        builder.ToTable("assessment_attempts");
        builder.Property(a => a.ResetReason).HasMaxLength(500);

        // The one attempt is the database's rule, not only the service's: two starts racing from two browsers or
        // tokens cannot both insert. A reset attempt steps aside for the next.
        builder.HasIndex(a => new { a.ProjectId, a.UserId }).IsUnique().HasFilter("reset_at IS NULL");
        builder.HasIndex(a => a.UserId);
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.ResetById);
    }
}

internal sealed class AssessmentScoreConfiguration : IEntityTypeConfiguration<AssessmentScore>
{
    public void Configure(EntityTypeBuilder<AssessmentScore> builder)
    {
        builder.ToTable("assessment_scores");
        builder.Property(s => s.Note).HasMaxLength(2000);
        builder.HasIndex(s => s.AnnotationId).IsUnique();
        builder.HasIndex(s => s.ProjectId);
        builder.HasOne<Annotation>().WithOne().HasForeignKey<AssessmentScore>(s => s.AnnotationId);
        builder.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.ReviewerId);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("ledger_entries");
        builder.Property(e => e.Kind).HasMaxLength(20);
        builder.Property(e => e.TrackId).HasMaxLength(40);
        builder.Property(e => e.HourlyRate).HasPrecision(12, 2);
        builder.Property(e => e.Multiplier).HasPrecision(6, 3);
        builder.Property(e => e.Amount).HasPrecision(12, 2);
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Reason).HasMaxLength(500);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
        builder.HasIndex(e => e.CreatedAt);

        // A submission pays its annotation once, however it is retried.
        builder.HasIndex(e => e.AnnotationId).IsUnique();
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.ByUserId);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId);
        builder.HasOne<Annotation>().WithMany().HasForeignKey(e => e.AnnotationId);
        builder.HasOne<Track>().WithMany().HasForeignKey(e => e.TrackId);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.CorrectsId);
    }
}

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("payouts");
        builder.HasIndex(p => p.PeriodStart);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.ByUserId);
    }
}

internal sealed class PayoutEntryConfiguration : IEntityTypeConfiguration<PayoutEntry>
{
    public void Configure(EntityTypeBuilder<PayoutEntry> builder)
    {
        builder.ToTable("payout_entries");
        builder.HasKey(p => p.EntryId);
        builder.HasIndex(p => p.PayoutId);
        builder.HasOne<LedgerEntry>().WithOne().HasForeignKey<PayoutEntry>(p => p.EntryId);
        builder.HasOne<Payout>().WithMany().HasForeignKey(p => p.PayoutId);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}

internal sealed class ProjectReviewerConfiguration : IEntityTypeConfiguration<ProjectReviewer>
{
    public void Configure(EntityTypeBuilder<ProjectReviewer> builder)
    {
        builder.ToTable("project_reviewers");
        builder.HasIndex(r => new { r.ProjectId, r.ReviewerId }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.ReviewerId);
    }
}

internal sealed class ServerSecretConfiguration : IEntityTypeConfiguration<ServerSecret>
{
    public void Configure(EntityTypeBuilder<ServerSecret> builder)
    {
        builder.ToTable("server_secrets");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(100);
    }
}
