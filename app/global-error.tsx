"use client";

// Replaces the root layout when it fails, so no translations are loaded: both languages inline.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "2rem", textAlign: "center" }}>
        <main>
          <h1>Something went wrong</h1>
          <p lang="zh-CN">出错了</p>
          <p>Please try again. / 请重试。</p>
          <button type="button" onClick={reset}>
            Try again / 重试
          </button>
        </main>
      </body>
    </html>
  );
}
