-- codeplan: applied whole

-- AlterTable
ALTER TABLE "usage_reports" ADD COLUMN     "client_id" TEXT,
ADD COLUMN     "device" TEXT;
