using System.CommandLine;
using System.Globalization;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild history [--no-trunc] [-q] [-H=false] IMAGE</c>: the image's history newest first, docker's
/// columns IMAGE CREATED CREATED BY SIZE COMMENT; only the newest row names the image, older ones are
/// <c>&lt;missing&gt;</c>. SIZE is the layer's uncompressed size (its tar's length, as the daemon stores
/// it; 0B for history entries without a layer) in docker's three significant digits, or bytes with
/// <c>--human=false</c>, which also shows CREATED AT timestamps instead of ages.
/// </summary>
internal sealed class HistoryCommand(CliHost host) : ICliCommand
{
    private const int CreatedByWidth = 45;

    public Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var format = new Option<string>("--format") { Description = "Format output: table, json, or a template with {{.ID}}, {{.CreatedSince}}, {{.CreatedAt}}, {{.CreatedBy}}, {{.Size}}, {{.Comment}}" };
        var command = new Command("history", "Show the history of an image") { image, noTrunc, quiet, human, format };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var local = await LocalImages.OpenAsync(context.Store, parse.GetRequiredValue(image), cancellationToken);
            var full = parse.GetValue(noTrunc);
            var isHuman = parse.GetValue(human);
            var layers = local.Layers;
            var history = local.Config.Value.History is { Count: > 0 } h
                ? h
                : [.. layers.Select(_ => new History())];

            // Non-empty history entries own the layers in order.
            var rows = new List<(History Entry, long Size)>();
            var next = 0;
            foreach (var entry in history)
            {
                var size = entry.EmptyLayer || next >= layers.Count ? 0 : await LayerSizes.GetAsync(context.Store.Blobs, layers[next++], cancellationToken);
                rows.Add((entry, size));
            }

            rows.Reverse();
            var id = full ? local.Record.Id.ToString() : local.Record.Id.Short;
            var ids = rows.Select((_, i) => i == 0 ? id : "<missing>").ToList();
            if (parse.GetValue(quiet))
            {
                foreach (var each in ids)
                {
                    await context.Output.WriteLineAsync(each);
                }

                return CommandLineApp.Success;
            }

            var now = DateTimeOffset.UtcNow;
            var fields = new List<IReadOnlyDictionary<string, string>>();
            for (var i = 0; i < rows.Count; i++)
            {
                var (entry, size) = rows[i];
                var createdBy = (entry.CreatedBy ?? "").Replace('\t', ' ');
                fields.Add(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ID"] = ids[i],
                    ["CreatedSince"] = !isHuman ? Rfc3339(entry.Created) : entry.Created is { } c && c > HumanEpoch ? HumanUnits.Ago(c, now) : "",
                    ["CreatedAt"] = Rfc3339(entry.Created),
                    ["CreatedBy"] = full ? createdBy : Ellipsis(createdBy, CreatedByWidth),
                    ["Size"] = isHuman ? HumanUnits.Size(size, 3) : size.ToString(CultureInfo.InvariantCulture),
                    ["Comment"] = entry.Comment ?? "",
                });
            }

            var layout = new OutputFormat(parse.GetValue(format) is { Length: > 0 } f && f != "table" ? f : isHuman ? DefaultTemplate : NonHumanTemplate, Headers, "*image.historyContext");
            await layout.WriteAsync(context.Output, fields);
            return CommandLineApp.Success;
        });
        return command;
    }

    private const string DefaultTemplate = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    private const string NonHumanTemplate = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    // docker shows no age for entries created before 2000 (a zero or clamped time).
    private static readonly DateTimeOffset HumanEpoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "IMAGE",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE",
        ["Comment"] = "COMMENT",
    };

    // Go's time.RFC3339 in local time ("Z" for UTC); an entry without a time is docker's zero, the epoch.
    private static string Rfc3339(DateTimeOffset? time)
    {
        var local = (time ?? DateTimeOffset.UnixEpoch).ToLocalTime();
        return local.ToString(local.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    // docker's stringutils.Ellipsis: at most width characters, the last one "…" when cut.
    private static string Ellipsis(string text, int width) =>
        text.Length <= width ? text : text[..(width - 1)] + "…";
}
