using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>The <c>--filter</c> values and the <c>REPOSITORY[:TAG]</c> argument of <c>images</c>, as docker applies them.</summary>
internal sealed class ImageFilter
{
    private bool? dangling;
    private readonly List<ReferencePattern> references = [];
    private ImageReference? repository;
    private DateTimeOffset? before;
    private DateTimeOffset? since;

    private ImageFilter()
    {
    }

    /// <summary>Untagged images are listed unless a name was asked for.</summary>
    public bool ShowsUntagged => references.Count == 0 && repository is null && dangling != false;

    public static async Task<ImageFilter> CreateAsync(ImageStore store, IEnumerable<string> filters, string? repository, CancellationToken cancellationToken)
    {
        var filter = new ImageFilter();
        if (repository is not null)
        {
            // The optional argument swallows an unknown flag; say what it is, as docker does.
            if (repository.StartsWith('-'))
            {
                throw new UsageException($"unknown flag: {repository}");
            }

            filter.repository = ImageReference.Parse(repository);
        }

        foreach (var item in filters)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq < 0 ? (item, "") : (item[..eq], item[(eq + 1)..]);
            switch (key)
            {
                case "dangling":
                    filter.dangling = value.ToLowerInvariant() switch
                    {
                        "true" or "1" => true,
                        "false" or "0" => false,
                        _ => throw new UsageException($"invalid filter 'dangling={value}': expected true or false"),
                    };
                    break;
                case "reference":
                    filter.references.Add(new ReferencePattern(value));
                    break;
                case "before":
                    filter.before = (await store.GetAsync(value, cancellationToken)).Created;
                    break;
                case "since":
                    filter.since = (await store.GetAsync(value, cancellationToken)).Created;
                    break;
                default:
                    throw new UsageException($"invalid filter '{item}': supported are dangling, reference, before and since");
            }
        }

        return filter;
    }

    public bool Includes(ImageRecord image)
    {
        if (dangling is { } d && d != image.IsDangling)
        {
            return false;
        }

        if (before is { } b && !(image.Created < b))
        {
            return false;
        }

        if (since is { } s && !(image.Created > s))
        {
            return false;
        }

        return image.IsDangling ? ShowsUntagged : image.Tags.Any(Includes);
    }

    public bool Includes(ImageReference tag) =>
        (references.Count == 0 || references.Any(pattern => pattern.Matches(tag)))
        && (repository is null || (tag.Name == repository.Name && (repository.Tag is null || repository.Tag == tag.Tag)));
}
