using FFMpegCore;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Ffmpeg;

/// <summary>
/// Runs one ffmpeg process after another for as long as its input is open. A process that ends while input is
/// still expected has died: its last stderr lines are logged, and a fresh one starts at least
/// <see cref="EncoderOptions.RestartBackoff"/> after the dead one started. So a process that ran that long (killed
/// mid-show) is replaced at once and the room's sound is back as soon as ffmpeg can start, while one that dies on
/// start (bad arguments) is retried at most once per backoff.
/// </summary>
/// <param name="name">Which stream this is, for logs ("video", "audio").</param>
/// <param name="runOnce">Starts one process and completes when it has exited. The token source it gets kills that process.</param>
internal sealed class FfmpegSupervisor(
    string name,
    Func<StderrTail, CancellationTokenSource, Task<FFMpegResult>> runOnce,
    Action onRestart,
    EncoderOptions options,
    ILogger logger,
    TimeProvider timeProvider)
{
    /// <param name="stopping">Set when the input is closed: the running process is left to finish, and none is started after it.
    /// The first process always starts, so that input closed right after start is still encoded.</param>
    /// <param name="kill">Kills the running process at once.</param>
    public async Task RunAsync(CancellationToken stopping, CancellationToken kill)
    {
        while (!kill.IsCancellationRequested)
        {
            var stderr = new StderrTail(options.StderrLinesKept);
            using var killThisRun = CancellationTokenSource.CreateLinkedTokenSource(kill);
            var startedAt = timeProvider.GetTimestamp();
            FFMpegResult? result = null;
            Exception? failure = null;
            try
            {
                result = await runOnce(stderr, killThisRun).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            var exitCode = result?.ExitCode ?? -1;
            if (stopping.IsCancellationRequested || kill.IsCancellationRequested)
            {
                EncoderLog.ProcessFinished(logger, name, exitCode);
                return;
            }

            onRestart();
            var wait = RestartDelay(timeProvider.GetElapsedTime(startedAt));
            EncoderLog.ProcessDied(logger, name, exitCode, wait, stderr.ToString(), failure);
            if (wait <= TimeSpan.Zero) continue;
            try
            {
                await Task.Delay(wait, timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What is left of <see cref="EncoderOptions.RestartBackoff"/> after a process that ran for <paramref name="ran"/>.</summary>
    internal TimeSpan RestartDelay(TimeSpan ran) => ran >= options.RestartBackoff ? TimeSpan.Zero : options.RestartBackoff - ran;
}
