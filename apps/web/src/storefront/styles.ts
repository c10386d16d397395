// Inline on purpose: the page is one response, with nothing else to fetch when an upstream is down.
export const STYLES = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f8fafc;color:#0f172a}
.banner{padding:1.5rem 2rem;font-size:1.6rem;font-weight:700;text-shadow:0 1px 2px rgba(0,0,0,.25)}
.wrap{max-width:64rem;margin:0 auto;padding:1rem 2rem 3rem}
.notice{margin:1rem 0;padding:.9rem 1.1rem;border-radius:.5rem;background:#fef3c7;border:2px solid #f59e0b;color:#78350f;font-weight:600}
.notice ul{margin:.4rem 0 0;padding-left:1.2rem;font-weight:400}
.preview{margin:1rem 0;padding:.6rem 1rem;border-radius:.5rem;background:#ede9fe;border:1px solid #8b5cf6;color:#4c1d95}
.badges{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.badge{font-size:.8rem;padding:.25rem .7rem;border-radius:999px;background:#e2e8f0;color:#334155}
.badge.local{background:#dcfce7;color:#166534}
.badge.down{background:#fee2e2;color:#991b1b}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:1rem 1.2rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.card h2{font-size:1.05rem;margin:0 0 .3rem}
.card p{margin:.3rem 0;color:#475569;font-size:.9rem}
.price{font-weight:700;color:#0f172a!important;font-size:1rem!important}
.stock.out{color:#b91c1c!important;font-weight:600}
.stock.unknown{color:#92400e!important;font-style:italic}
.empty{color:#64748b;font-style:italic}
footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid #e2e8f0;font-size:.85rem;color:#64748b}
footer form{display:inline-flex;gap:.4rem;align-items:center;margin:0}
footer input{padding:.25rem .5rem;border:1px solid #cbd5e1;border-radius:.375rem}
footer button{padding:.25rem .7rem;border:1px solid #94a3b8;border-radius:.375rem;background:#fff;cursor:pointer}
`;
