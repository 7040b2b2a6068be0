using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dockerbuild.Oci;

/// <summary>
/// A normalized image reference <c>registry/repository[:tag][@digest]</c> following
/// distribution/reference's ParseNormalizedNamed: names without a registry are on docker.io, top-level
/// docker.io names get <c>library/</c>, index.docker.io means docker.io. A missing tag stays missing
/// here (so "push every tag" can be told apart); <see cref="WithDefaultTag"/> adds <c>latest</c>.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";
    public const string DefaultTag = "latest";

    private const string LegacyDockerHub = "index.docker.io";
    private const string DockerHubEndpoint = "registry-1.docker.io";
    private const string OfficialPrefix = "library/";
    private const int NameMaxLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host with optional port, e.g. <c>docker.io</c> or <c>localhost:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The path within the registry, e.g. <c>library/ubuntu</c>.</summary>
    public string Repository { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary><c>registry/repository</c>, the fully qualified name.</summary>
    public string Name => $"{Registry}/{Repository}";

    public bool IsDockerHub => Registry == DockerHub;

    /// <summary>The host:port to talk to: Docker Hub's API lives at registry-1.docker.io.</summary>
    public string RegistryEndpoint => IsDockerHub ? DockerHubEndpoint : Registry;

    /// <summary>What the registry API addresses the manifest by: the digest if pinned, else the tag (or latest).</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>The short name docker shows: <c>ubuntu</c> for docker.io/library/ubuntu, <c>user/app</c> for docker.io/user/app.</summary>
    public string FamiliarName
    {
        get
        {
            if (!IsDockerHub)
            {
                return Name;
            }

            var rest = Repository.StartsWith(OfficialPrefix, StringComparison.Ordinal) ? Repository[OfficialPrefix.Length..] : Repository;
            return rest.Contains('/') ? Repository : rest;
        }
    }

    /// <summary>The familiar name with tag and digest, as docker prints references.</summary>
    public string FamiliarString => FamiliarName + Suffix;

    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var problem)
            ? parsed
            : throw new InvalidReferenceException(reference, problem);

    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? parsed) =>
        TryParse(reference, out parsed, out _);

    /// <summary>A reference from parts, validated as <see cref="Parse"/> would.</summary>
    public static ImageReference Create(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        var text = registry + "/" + repository + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
        return Parse(text);
    }

    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag))
        {
            throw new InvalidReferenceException(tag, "invalid tag format: a tag is up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }

        return new ImageReference(Registry, Repository, tag, Digest);
    }

    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest);

    /// <summary>Just the repository, without tag or digest.</summary>
    public ImageReference WithoutTagOrDigest() => new(Registry, Repository, null, null);

    /// <summary>Adds <c>latest</c> when neither a tag nor a digest was given, as docker pull does.</summary>
    public ImageReference WithDefaultTag() =>
        Tag is null && Digest is null ? new ImageReference(Registry, Repository, DefaultTag, null) : this;

    /// <summary>The fully qualified form, e.g. <c>docker.io/library/ubuntu:22.04</c>.</summary>
    public override string ToString() => Name + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    private static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? parsed, out string problem)
    {
        parsed = null;
        if (string.IsNullOrEmpty(reference))
        {
            problem = "repository name must have at least one component";
            return false;
        }

        if (IdentifierPattern().IsMatch(reference))
        {
            problem = "cannot specify 64-byte hexadecimal strings as a repository name";
            return false;
        }

        var (registry, remainder) = SplitRegistry(reference);
        var remoteName = remainder[..IndexOfAnyOrLength(remainder, ':', '@')];
        if (!remoteName.Equals(remoteName.ToLowerInvariant(), StringComparison.Ordinal))
        {
            problem = $"repository name ({remoteName}) must be lowercase";
            return false;
        }

        var match = ReferencePattern().Match(registry + "/" + remainder);
        if (!match.Success)
        {
            problem = Diagnose(remainder);
            return false;
        }

        var name = match.Groups["name"].Value;
        if (name.Length > NameMaxLength)
        {
            problem = $"repository name must not be more than {NameMaxLength} characters";
            return false;
        }

        Digest? digest = null;
        if (match.Groups["digest"].Success)
        {
            if (!Oci.Digest.TryParse(match.Groups["digest"].Value, out var value))
            {
                problem = "invalid digest format: expected sha256:<64 lower-case hex characters>";
                return false;
            }

            digest = value;
        }

        parsed = new ImageReference(
            registry,
            name[(registry.Length + 1)..],
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            digest);
        problem = "";
        return true;
    }

    // distribution/reference's splitDockerDomain: the first component is a registry only when it
    // looks like a host (has '.' or ':', is localhost, or has upper case, which names never do).
    private static (string Registry, string Remainder) SplitRegistry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (DockerHub, OfficialPrefix + reference);
        }

        var first = reference[..slash];
        var rest = reference[(slash + 1)..];
        string registry;
        if (first == LegacyDockerHub)
        {
            registry = DockerHub;
        }
        else if (first == "localhost" || first.Contains('.') || first.Contains(':') || !first.Equals(first.ToLowerInvariant(), StringComparison.Ordinal))
        {
            registry = first;
        }
        else
        {
            return (DockerHub, reference);
        }

        if (registry == DockerHub && !rest.Contains('/'))
        {
            rest = OfficialPrefix + rest;
        }

        return (registry, rest);
    }

    private static string Diagnose(string remainder)
    {
        var at = remainder.IndexOf('@', StringComparison.Ordinal);
        var beforeDigest = at < 0 ? remainder : remainder[..at];
        if (at >= 0 && !DigestPattern().IsMatch(remainder[(at + 1)..]))
        {
            return "invalid digest format: expected sha256:<64 lower-case hex characters>";
        }

        var colon = beforeDigest.LastIndexOf(':');
        if (colon >= 0 && colon > beforeDigest.LastIndexOf('/') && !TagPattern().IsMatch(beforeDigest[(colon + 1)..]))
        {
            return "invalid tag format: a tag is up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";
        }

        return "invalid reference format: expected [registry[:port]/][namespace/]name[:tag][@digest] with lower-case name components separated by '/'";
    }

    private static int IndexOfAnyOrLength(string text, char first, char second)
    {
        var index = text.IndexOfAny([first, second]);
        return index < 0 ? text.Length : index;
    }

    // distribution/reference's grammar: domain components, an optional port or a bracketed IPv6
    // address, path components of [a-z0-9] joined by '.', '_', '__' or runs of '-'.
    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
