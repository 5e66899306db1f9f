using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Verity.Data;

/// <summary>The one EF Core model, shared by SQLite and PostgreSQL.</summary>
public sealed class VerityDbContext : DbContext
{
    public VerityDbContext(DbContextOptions<VerityDbContext> options)
        : base(options)
    {
        // A save inside our own transaction would otherwise be wrapped in a savepoint (two more round trips); no caller
        // recovers from a failed save and carries on in the same transaction, so the whole transaction rolls back instead.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<GuidelineVersion> GuidelineVersions => Set<GuidelineVersion>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<GuidelineAck> GuidelineAcks => Set<GuidelineAck>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<Draft> Drafts => Set<Draft>();
    public DbSet<Skip> Skips => Set<Skip>();
    public DbSet<Track> Tracks => Set<Track>();
    public DbSet<Qualification> Qualifications => Set<Qualification>();
    public DbSet<TierChange> TierChanges => Set<TierChange>();
    public DbSet<AssessmentAttempt> AssessmentAttempts => Set<AssessmentAttempt>();
    public DbSet<AssessmentScore> AssessmentScores => Set<AssessmentScore>();

    /// <summary>
    /// The answers that count: every annotation no later one supersedes. Labels, quality, reviews and exports read
    /// these; the superseded ones stay stored as history.
    /// </summary>
    public IQueryable<Annotation> LatestAnnotations => Annotations.Where(a => !Annotations.Any(n => n.SupersedesId == a.Id));
    public DbSet<Restoration> Restorations => Set<Restoration>();
    public DbSet<Quarantine> Quarantines => Set<Quarantine>();
    public DbSet<AnnotatorQuality> AnnotatorQuality => Set<AnnotatorQuality>();
    public DbSet<ProjectQuality> ProjectQuality => Set<ProjectQuality>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<ProjectReviewer> ProjectReviewers => Set<ProjectReviewer>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<PayoutEntry> PayoutEntries => Set<PayoutEntry>();

    /// <summary>Refuses, before anything is written, to change or remove a row of an append-only table (the database refuses too).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseRewritingTheLedger();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseRewritingTheLedger();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // Money paid or owed is history: a wrong entry is answered by a correcting entry, never by editing or deleting one.
    private void RefuseRewritingTheLedger()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is LedgerEntry or Payout or PayoutEntry && entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException($"{entry.Metadata.GetTableName()} are append-only: correct a ledger entry with a new entry, never by changing one.");
        }
    }

    /// <summary>Which database this context talks to; hot-path SQL is chosen by it.</summary>
    public DatabaseProvider Provider =>
        Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VerityDbContext).Assembly);

        // snake_case columns so hand-written SQL reads the same on both providers.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
                // Every time is UTC; SQLite stores text without a kind, so say so when reading it back.
                if (property.ClrType == typeof(DateTime))
                    property.SetValueConverter(UtcConverter);
                else if (property.ClrType == typeof(DateTime?))
                    property.SetValueConverter(NullableUtcConverter);
                // IDs are UUIDv7, made by the application, so rows sort by creation time.
                if (property.Name == "Id")
                    property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }

            // Nothing labelled is ever removed by a cascade.
            foreach (var foreignKey in entity.GetForeignKeys())
                foreignKey.DeleteBehavior = DeleteBehavior.Restrict;
        }
    }

    private static readonly ValueConverter<DateTime, DateTime> UtcConverter =
        new(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime?, DateTime?> NullableUtcConverter =
        new(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
