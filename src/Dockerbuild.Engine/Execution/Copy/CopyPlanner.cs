using System.Text;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Engine.Context;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// Turns a COPY or ADD into the entries of its layer with BuildKit's semantics (dockerfile2llb's
/// copy options over fsutil's copier): sources are globbed with Go's path.Match and a source symlink
/// is followed; a directory source copies its contents; the destination is taken relative to WORKDIR
/// and is a directory when it ends with '/' (or is "."), or when it already is one for a file source;
/// missing parents are made 0755 and owned by the --chown owner; modes and times are kept, owners are
/// kept for stage and image sources (the context is all 0:0) unless --chown; --chmod sets the mode of
/// every copied file and directory; symlinks inside directories stay symlinks and hardlinks stay
/// linked. ADD unpacks local tar archives (plain, gzip, bzip2, xz, zstd) into the destination and
/// downloads URLs.
/// </summary>
/// <param name="scratchRoot">Where URL downloads and unpacked archive members are spooled until the plan is disposed.</param>
public sealed class CopyPlanner(ContentHasher hasher, HttpClient? http, string scratchRoot)
{
    private const int HeredocMode = 0b110_110_100;
    private const int CreatedDirectoryMode = 0b111_101_101;

    public async Task<CopyPlan> PlanAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scratch = Path.Combine(scratchRoot, "copy-" + Guid.NewGuid().ToString("N"));
        var owner = await CopyOwner.ResolveAsync(request.Chown, request.Target, cancellationToken).ConfigureAwait(false);
        var session = new Session(request, hasher, owner, CopyMode.Parse(request.Chmod), scratch);
        try
        {
            await session.RunAsync(http, cancellationToken).ConfigureAwait(false);
            return session.ToPlan();
        }
        catch
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }

            throw;
        }
    }

    private sealed class Session : ISourceFileSystem
    {
        private readonly CopyRequest request;
        private readonly ContentHasher hasher;
        private readonly (int Uid, int Gid)? owner;
        private readonly CopyMode? mode;
        private readonly string scratch;
        private readonly DateTimeOffset created;
        private readonly DockerIgnore excludes;
        private readonly string destination;
        private readonly bool destinationIsDirectory;
        private readonly Dictionary<string, (LayerEntry Entry, string? ContentDigest)> planned = new(StringComparer.Ordinal);
        private readonly Dictionary<(ulong Device, ulong Inode), string> hardlinks = [];
        private readonly HashSet<string> missingInTarget = new(StringComparer.Ordinal);

        public Session(CopyRequest request, ContentHasher hasher, (int Uid, int Gid)? owner, CopyMode? mode, string scratch)
        {
            this.request = request;
            this.hasher = hasher;
            this.owner = owner;
            this.mode = mode;
            this.scratch = scratch;
            created = request.CreatedTime ?? DateTimeOffset.UtcNow;
            excludes = DockerIgnore.FromPatterns(request.Excludes);
            var dest = request.Destination;
            destinationIsDirectory = dest is "" or "." || dest.EndsWith('/') || dest.EndsWith("/.", StringComparison.Ordinal);
            destination = SourcePaths.Normalize(dest.StartsWith('/') ? dest : request.WorkingDirectory + "/" + dest);
        }

        public async Task RunAsync(HttpClient? http, CancellationToken cancellationToken)
        {
            if (request.Checksum is { } checksum)
            {
                if (!checksum.StartsWith("sha256:", StringComparison.Ordinal) || checksum.Length != 71)
                {
                    throw new CopyException($"invalid --checksum={checksum}: expected sha256:<64 hex digits>");
                }

                if (!request.Sources.Any(RemoteSource.IsUrl))
                {
                    throw new CopyException("--checksum can only be used with http(s) sources");
                }
            }

            var downloads = 0;
            foreach (var source in request.Sources)
            {
                if (RemoteSource.IsUrl(source))
                {
                    if (!request.IsAdd)
                    {
                        throw new CopyException("source can't be a URL for COPY");
                    }

                    var client = http ?? throw new CopyException($"ADD {source}: no HTTP client was given to fetch URLs");
                    Directory.CreateDirectory(scratch);
                    var download = await RemoteSource.FetchAsync(client, source, request.Checksum, Path.Combine(scratch, "download-" + downloads++), cancellationToken).ConfigureAwait(false);
                    await AddDownloadAsync(source, download, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await AddLocalSourceAsync(source, cancellationToken).ConfigureAwait(false);
            }

            foreach (var inline in request.InlineSources)
            {
                var bytes = Encoding.UTF8.GetBytes(inline.Data);
                var name = SourcePaths.Normalize(inline.Path);
                name = name[(name.LastIndexOf('/') + 1)..];
                var target = PlaceFile(name);
                EnsureParents(target);
                planned[target] = (LayerEntry.File(target, bytes, mode?.Apply(HeredocMode, isDirectory: false) ?? HeredocMode) with
                {
                    Uid = owner?.Uid ?? 0,
                    Gid = owner?.Gid ?? 0,
                    ModificationTime = created,
                }, await ContentHasher.HashStreamAsync(new MemoryStream(bytes), cancellationToken).ConfigureAwait(false));
            }
        }

        public CopyPlan ToPlan()
        {
            var ordered = planned.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            using var manifest = new TreeManifest();
            foreach (var (_, (entry, digest)) in ordered)
            {
                manifest.Add(entry.Path, entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.LinkTarget, digest, entry.ExtendedAttributes);
            }

            return new CopyPlan([.. ordered.Select(p => p.Value.Entry)], manifest.Digest(), Directory.Exists(scratch) ? scratch : null);
        }

        // The destination as this step sees it: what it planned so far over the image's filesystem.
        public SourceEntry? Stat(string path)
        {
            path = SourcePaths.Normalize(path);
            if (planned.TryGetValue(path, out var p))
            {
                return new SourceEntry(path, p.Entry.Type, p.Entry.Mode, p.Entry.Uid, p.Entry.Gid, p.Entry.Size, 0, p.Entry.LinkTarget);
            }

            return TargetStat(path);
        }

        // The image's filesystem under the destination, without the stats a new tree needs not: a
        // path the image lacks has no children there, so once a directory is known missing, nothing
        // below it is looked up (a COPY of thousands of files into a new directory costs no stat each).
        private SourceEntry? TargetStat(string path)
        {
            if (request.Link || request.Target is null)
            {
                return null;
            }

            var entry = missingInTarget.Contains(SourcePaths.Parent(path)) ? null : request.Target.Stat(path);
            if (entry is null)
            {
                missingInTarget.Add(path);
            }

            return entry;
        }

        public IReadOnlyList<SourceEntry> List(string directory) => throw new NotSupportedException();

        public ValueTask<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        private async Task AddLocalSourceAsync(string source, CancellationToken cancellationToken)
        {
            var fs = request.Source;
            var matches = SourceGlob.Expand(fs, source);
            if (matches.Count == 0)
            {
                if (SourceGlob.HasWildcards(source))
                {
                    return; // BuildKit's dockerfile frontend allows a wildcard that matches nothing
                }

                throw new CopyException($"failed to calculate checksum of ref {request.SourceName}: \"/{SourcePaths.Normalize(source)}\": not found");
            }

            var pivot = request.Parents ? ParentsPivot(source) : null;
            foreach (var match in matches)
            {
                var physical = SourcePaths.Resolve(fs, match, followLast: true);
                var entry = fs.Stat(physical) ?? throw new CopyException(
                    $"failed to calculate checksum of ref {request.SourceName}: \"/{match}\": not found");
                var name = match[(match.LastIndexOf('/') + 1)..];
                if (name.Length > 0 && excludes.IsExcluded(name))
                {
                    continue;
                }

                if (pivot is not null)
                {
                    await AddWithParentsAsync(fs, match, pivot, entry, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (entry.Type == LayerEntryType.Directory)
                {
                    var root = ResolveDirectory(destination);
                    EnsureParents(root);
                    await EmitAsync(fs, entry, root, "", isRoot: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (request.IsAdd && request.Unpack != false && entry.Type == LayerEntryType.RegularFile
                    && await ArchiveUnpacker.IsArchiveAsync(ct => fs.OpenReadAsync(entry.Path, ct), cancellationToken).ConfigureAwait(false))
                {
                    await UnpackAsync(ct => fs.OpenReadAsync(entry.Path, ct), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var target = PlaceFile(name);
                EnsureParents(target);
                await EmitAsync(fs, entry, target, name, isRoot: true, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>--parents: the part of the source before "/./" is dropped, the rest is kept under the destination.</summary>
        private static string ParentsPivot(string source)
        {
            while (source.StartsWith("./", StringComparison.Ordinal))
            {
                source = source[2..];
            }

            var at = source.IndexOf("/./", StringComparison.Ordinal);
            return at < 0 ? "" : SourcePaths.Normalize(source[..at]);
        }

        private async Task AddWithParentsAsync(ISourceFileSystem fs, string match, string pivot, SourceEntry entry, CancellationToken cancellationToken)
        {
            var relative = pivot.Length == 0 ? match : match.Length > pivot.Length ? match[(pivot.Length + 1)..] : "";
            var root = ResolveDirectory(destination);
            EnsureParents(SourcePaths.Join(root, "x"));
            var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var at = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                at = SourcePaths.Join(at, parts[i]);
                var sourceDirectory = fs.Stat(SourcePaths.Resolve(fs, SourcePaths.Join(pivot, string.Join('/', parts[..(i + 1)])), followLast: true));
                if (!planned.ContainsKey(at) && sourceDirectory is { Type: LayerEntryType.Directory })
                {
                    planned[at] = (Copied(sourceDirectory, at), null); // fsutil createParentDirs: copyFileInfo, so --chmod and --chown too
                }
            }

            var target = SourcePaths.Join(root, relative);
            EnsureParents(target);
            await EmitAsync(fs, entry, target, "", isRoot: true, cancellationToken).ConfigureAwait(false);
        }

        private async Task AddDownloadAsync(string url, RemoteSource.Download download, CancellationToken cancellationToken)
        {
            ValueTask<Stream> Open(CancellationToken _) => ValueTask.FromResult<Stream>(File.OpenRead(download.SpoolPath));
            if (request.Unpack == true && await ArchiveUnpacker.IsArchiveAsync(Open, cancellationToken).ConfigureAwait(false))
            {
                await UnpackAsync(Open, cancellationToken).ConfigureAwait(false);
                return;
            }

            var target = PlaceFile(RemoteSource.FileNameOf(url));
            EnsureParents(target);
            planned[target] = (new LayerEntry
            {
                Path = target,
                Type = LayerEntryType.RegularFile,
                Mode = mode?.Apply(RemoteSource.FileMode, isDirectory: false) ?? RemoteSource.FileMode,
                Uid = owner?.Uid ?? 0,
                Gid = owner?.Gid ?? 0,
                ModificationTime = download.LastModified ?? created,
                Size = download.Size,
                OpenContent = Open,
            }, download.Digest);
        }

        private async Task UnpackAsync(Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
        {
            var root = ResolveDirectory(destination);
            EnsureParents(SourcePaths.Join(root, "x"));
            var members = await ArchiveUnpacker.UnpackAsync(open, Path.Combine(scratch, "unpack-" + planned.Count), cancellationToken).ConfigureAwait(false);
            foreach (var (member, digest) in members)
            {
                var path = SourcePaths.Join(root, member.Path);
                EnsureParents(path);
                planned[path] = (member with
                {
                    Path = path,
                    Uid = owner?.Uid ?? member.Uid,
                    Gid = owner?.Gid ?? member.Gid,
                    LinkTarget = member.Type == LayerEntryType.HardLink ? SourcePaths.Join(root, member.LinkTarget!) : member.LinkTarget,
                }, digest);
            }
        }

        /// <summary>Where a file source named <paramref name="name"/> lands: inside the destination when that is a directory, else at it.</summary>
        private string PlaceFile(string name)
        {
            if (destinationIsDirectory)
            {
                return SourcePaths.Join(ResolveDirectory(destination), name);
            }

            var followed = SourcePaths.Resolve(this, destination, followLast: true);
            return Stat(followed) is { Type: LayerEntryType.Directory } ? SourcePaths.Join(followed, name) : Resolve(destination);
        }

        /// <summary>Symlinks in the destination's parents are followed inside the image, as BuildKit's copy does.</summary>
        private string Resolve(string path) => SourcePaths.Resolve(this, path, followLast: false);

        /// <summary>A path used as a directory: a symlink there is followed too, as os.Stat follows it in fsutil.</summary>
        private string ResolveDirectory(string path) => SourcePaths.Resolve(this, path, followLast: true);

        private void EnsureParents(string path)
        {
            var parent = SourcePaths.Parent(path);
            if (parent.Length == 0)
            {
                return;
            }

            EnsureParents(parent);
            if (planned.ContainsKey(parent))
            {
                return;
            }

            var existing = TargetStat(parent);
            if (existing is { Type: LayerEntryType.Directory })
            {
                planned[parent] = (Existing(existing, parent), null);
            }
            else if (existing is not null)
            {
                throw new CopyException($"cannot copy to \"/{path}\": \"/{parent}\" is not a directory");
            }
            else
            {
                planned[parent] = (CreatedDirectory(parent), null);
            }
        }

        /// <summary>What fsutil's MkdirAll makes: 0755, owned by the --chown owner or root.</summary>
        private LayerEntry CreatedDirectory(string path) => new()
        {
            Path = path,
            Type = LayerEntryType.Directory,
            Mode = CreatedDirectoryMode,
            Uid = owner?.Uid ?? 0,
            Gid = owner?.Gid ?? 0,
            ModificationTime = created,
        };

        private async Task EmitAsync(ISourceFileSystem fs, SourceEntry entry, string target, string relative, bool isRoot, CancellationToken cancellationToken)
        {
            switch (entry.Type)
            {
                case LayerEntryType.Directory:
                    if (isRoot)
                    {
                        // fsutil's prepareTargetDir makes a missing destination with MkdirAll (0755, the
                        // --chown owner, no --chmod) and then leaves its metadata alone except for the
                        // time, which it takes from the source directory; an existing one keeps its own.
                        target = SourcePaths.Resolve(this, target, followLast: true);
                        var existing = Stat(target);
                        if (existing is not null && existing.Type != LayerEntryType.Directory)
                        {
                            throw new CopyException($"cannot copy to non-directory: /{target}");
                        }

                        if (target.Length > 0)
                        {
                            var kept = planned.TryGetValue(target, out var p) ? p.Entry
                                : existing is not null ? Existing(existing, target)
                                : CreatedDirectory(target);
                            planned[target] = (kept with { ModificationTime = entry.ModificationTime }, null);
                        }
                    }
                    else
                    {
                        if (Stat(target) is { Type: not LayerEntryType.Directory })
                        {
                            throw new CopyException($"cannot copy to non-directory: /{target}");
                        }

                        planned[target] = (Copied(entry, target), null);
                    }

                    foreach (var child in fs.List(entry.Path))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var childRelative = SourcePaths.Join(relative, child.Name);
                        if (excludes.IsExcluded(childRelative))
                        {
                            continue;
                        }

                        await EmitAsync(fs, child, SourcePaths.Join(target, child.Name), childRelative, isRoot: false, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case LayerEntryType.RegularFile when Stat(target) is { Type: LayerEntryType.Directory }:
                    throw new CopyException($"cannot replace to directory /{target} with file");
                case LayerEntryType.RegularFile:
                    if (entry.LinkCount > 1 && entry.HostPath is not null)
                    {
                        if (hardlinks.TryGetValue((entry.Device, entry.Inode), out var first) && first != target)
                        {
                            planned[target] = (LayerEntry.HardLink(target, first, mode?.Apply(entry.Mode, isDirectory: false) ?? entry.Mode), "link:" + first);
                            break;
                        }

                        hardlinks[(entry.Device, entry.Inode)] = target;
                    }

                    var digest = await hasher.HashFileAsync(fs, entry, cancellationToken).ConfigureAwait(false);
                    var path = entry.Path;
                    planned[target] = (Copied(entry, target) with
                    {
                        Size = entry.Size,
                        OpenContent = ct => fs.OpenReadAsync(path, ct),
                    }, digest);
                    break;
                case LayerEntryType.SymbolicLink:
                    planned[target] = (Copied(entry, target) with { Mode = 0b111_111_111, LinkTarget = entry.LinkTarget }, null);
                    break;
                default:
                    planned[target] = (Copied(entry, target), null);
                    break;
            }
        }

        private LayerEntry Copied(SourceEntry entry, string target) => new()
        {
            Path = target,
            Type = entry.Type,
            Mode = mode?.Apply(entry.Mode, entry.Type == LayerEntryType.Directory) ?? entry.Mode,
            Uid = owner?.Uid ?? entry.Uid,
            Gid = owner?.Gid ?? entry.Gid,
            ModificationTime = entry.ModificationTime,
            ExtendedAttributes = entry.HostPath is { } host && entry.Type is LayerEntryType.RegularFile or LayerEntryType.Directory ? HostXattrs.Read(host) : null,
        };

        private static LayerEntry Existing(SourceEntry entry, string path) => new()
        {
            Path = path,
            Type = entry.Type,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
        };
    }
}
