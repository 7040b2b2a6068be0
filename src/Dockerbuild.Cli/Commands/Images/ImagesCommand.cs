using System.CommandLine;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild images [-a] [-q] [--digests] [--no-trunc] [--filter K=V] [REPO[:TAG]]</c>: the local images
/// as docker lists them, one row per tag (REPOSITORY TAG [DIGEST] IMAGE ID CREATED SIZE), <c>&lt;none&gt;</c>
/// for dangling images.
/// </summary>
internal sealed class ImagesCommand(CliHost host, string name = "images") : ICliCommand
{
    private const string None = "<none>";

    public Command Create()
    {
        var repository = new Argument<string?>("REPOSITORY[:TAG]") { Description = "Only images of this repository (and tag)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (there are no intermediate images to hide)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var digests = new Option<bool>("--digests") { Description = "Show digests" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output: dangling=true|false, reference=PATTERN, before=IMAGE, since=IMAGE" };
        var format = new Option<string>("--format") { Description = "Format output: table, json, or a template with {{.Repository}}, {{.Tag}}, {{.ID}}, {{.Digest}}, {{.CreatedSince}}, {{.CreatedAt}}, {{.Size}}" };
        var command = new Command(name, "List images") { repository, all, quiet, digests, noTrunc, filters, format };
        if (name == "ls")
        {
            command.Aliases.Add("list");
        }

        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var images = await WithCreationTimesAsync(context.Store, await context.Store.ListAsync(cancellationToken), cancellationToken);
            var filter = await ImageFilter.CreateAsync(context.Store, parse.GetValue(filters) ?? [], parse.GetValue(repository), cancellationToken);
            var full = parse.GetValue(noTrunc);
            var rows = new List<(ImageRecord Image, string Repository, string Tag, string Digest)>();
            foreach (var image in images.Where(filter.Includes))
            {
                rows.AddRange(RowsOf(image, filter).Select(row => (image, row.Repository, row.Tag, row.Digest)));
            }

            if (parse.GetValue(quiet))
            {
                foreach (var id in rows.Select(row => Id(row.Image, full)).Distinct())
                {
                    await context.Output.WriteLineAsync(id);
                }

                return CommandLineApp.Success;
            }

            var layout = new OutputFormat(parse.GetValue(format), Headers, "*formatter.imageContext");
            var now = DateTimeOffset.UtcNow;
            if (!layout.IsDefaultTable)
            {
                await layout.WriteAsync(context.Output, [.. rows.Select(row => Fields(row.Image, row.Repository, row.Tag, row.Digest, full, now))]);
                return CommandLineApp.Success;
            }

            var showDigests = parse.GetValue(digests);
            var table = showDigests
                ? new TableWriter("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new TableWriter("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            foreach (var row in rows)
            {
                var tail = new[] { Id(row.Image, full), HumanUnits.Ago(row.Image.Created, now), HumanUnits.Size(row.Image.Size, 3) };
                table.Add(showDigests ? [row.Repository, row.Tag, row.Digest, .. tail] : [row.Repository, row.Tag, .. tail]);
            }

            await table.WriteAsync(context.Output);
            return CommandLineApp.Success;
        });
        return command;
    }

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["ID"] = "IMAGE ID",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS",
        ["VirtualSize"] = "SIZE",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
    };

    // The fields of docker's image list formatter.
    private static Dictionary<string, string> Fields(ImageRecord image, string repository, string tag, string digest, bool full, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        ["Containers"] = "N/A",
        ["CreatedAt"] = image.Created is { } created ? created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", System.Globalization.CultureInfo.InvariantCulture) : "",
        ["CreatedSince"] = HumanUnits.Ago(image.Created, now),
        ["Digest"] = digest,
        ["ID"] = Id(image, full),
        ["Repository"] = repository,
        ["SharedSize"] = "N/A",
        ["Size"] = HumanUnits.Size(image.Size, 3),
        ["Tag"] = tag,
        ["UniqueSize"] = "N/A",
        ["VirtualSize"] = HumanUnits.Size(image.Size),
    };

    // The store knows no creation time for an index; docker shows its platform image's.
    private static async Task<List<ImageRecord>> WithCreationTimesAsync(ImageStore store, IEnumerable<ImageRecord> images, CancellationToken cancellationToken)
    {
        var completed = new List<ImageRecord>();
        foreach (var image in images)
        {
            var created = image.Created;
            if (created is null && MediaTypes.IsIndex(image.MediaType))
            {
                try
                {
                    created = (await LocalImages.OpenAsync(store, image.ManifestDigest.ToString(), cancellationToken)).Config.Value.Created;
                }
                catch (Exception e) when (ImageCommandAction.IsUserError(e))
                {
                    // Content missing for every platform: the row says N/A.
                }
            }

            completed.Add(image with { Created = created });
        }

        return completed;
    }

    private static string Id(ImageRecord image, bool full) => full ? image.Id.ToString() : image.Id.Short;

    private static IEnumerable<(string Repository, string Tag, string Digest)> RowsOf(ImageRecord image, ImageFilter filter)
    {
        var digests = image.RepoDigests.ToList();
        string DigestOf(ImageReference name) => digests.FirstOrDefault(d => d.Name == name.Name)?.Digest?.ToString() ?? None;

        var tags = image.Tags.Where(filter.Includes).OrderBy(t => t.FamiliarString, StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
        {
            return tags.Select(t => (t.FamiliarName, t.Tag!, DigestOf(t)));
        }

        if (!image.IsDangling || !filter.ShowsUntagged)
        {
            return [];
        }

        return digests.Count > 0
            ? digests.DistinctBy(d => d.Name).Select(d => (d.FamiliarName, None, d.Digest!.Value.ToString()))
            : [(None, None, None)];
    }
}
